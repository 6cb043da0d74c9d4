d = {}
for i in range(100):
    d[i * 7 + 1000] = i  #@
e = {}
for i in range(50):
    e["key" + str(i)] = [i]  #@
n = len(d) + len(e)  #@
