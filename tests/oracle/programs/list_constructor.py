r = list(range(5))  #@
s = list(range(10))  #@
t = list([1, 2, 3, 4, 5])  #@
u = list((7, 8, 9))  #@
