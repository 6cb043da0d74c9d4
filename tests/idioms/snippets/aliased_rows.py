# expect: aliased-rows
# output: differs
# Rows changed through a loop variable share the change: the fix gives each row its own list.
grid = [[0] * 3] * 2
for row in grid:
    row.append(1)
print(len(grid), [len(row) for row in grid], sum(map(sum, grid)))
