s = set()
for i in range(20):
    s.add(i)  #@
t = {1, 2, 3, 4, 5}  #@
