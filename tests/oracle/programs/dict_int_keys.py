d = {}
for i in range(12):
    d[i + 1000] = [i]  #@
v = d[1005]  #@
