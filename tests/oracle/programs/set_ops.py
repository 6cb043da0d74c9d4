s = {1, 2}
s.add(3)  #@
for e in s:
    cur = e  #@
