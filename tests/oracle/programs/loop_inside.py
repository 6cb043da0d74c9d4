items = [[1], [2], [3]]
for it in items:
    cur = it  #@
last = it  #@
