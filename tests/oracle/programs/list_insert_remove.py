a = []
for i in range(6):
    a.insert(0, i)  #@
a.remove(3)  #@
del a[0]  #@
