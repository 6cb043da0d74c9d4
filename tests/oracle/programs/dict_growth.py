d = {}
for i in range(12):
    d["k" + str(i)] = i  #@
size = len(d)  #@
