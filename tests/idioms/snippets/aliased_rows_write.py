# expect: aliased-rows
# output: differs
# The fix changes what a write to a row does: that is the bug it fixes.
grid = [[0] * 3] * 2
grid[0][0] = 1
print(grid)
