a = [1]
b = [2]
t = (a, b)  #@
x, y = t  #@
del t  #@
