import array
a = array.array("i")
for i in range(20):
    a.append(i)  #@
n = len(a)  #@
