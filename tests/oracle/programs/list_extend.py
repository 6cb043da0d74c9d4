a = [1, 2]
a.extend([3, 4, 5])  #@
b = []
b.extend(range(5))  #@
c = [1]
c.extend(range(5))  #@
d = []
d += [1, 2, 3]  #@
