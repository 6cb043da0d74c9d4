grid = [[0] * 3] * 4  #@
row = grid[0]  #@
grid[0][0] = 5  #@
