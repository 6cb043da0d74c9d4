# expect: aliased-rows
grid = [[0] * 3] * 2
print(len(grid), [len(row) for row in grid], sum(map(sum, grid)))
