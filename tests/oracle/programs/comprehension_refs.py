row = [1, 2]
rows = [row for _ in range(5)]  #@
