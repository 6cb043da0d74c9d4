s = set()
for i in range(200):
    s.add(i * 1000)  #@
n = len(s)  #@
