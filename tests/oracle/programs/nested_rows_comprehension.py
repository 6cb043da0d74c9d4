grid = [[0] * 3 for _ in range(4)]  #@
row = grid[1]  #@
del grid  #@
