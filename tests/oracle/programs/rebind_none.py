data = list(range(50))
data = None  #@
data = [1, 2, 3]  #@
