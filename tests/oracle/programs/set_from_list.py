items = [3, 1, 3, 2, 1]
u = set(items)  #@
u.discard(3)  #@
