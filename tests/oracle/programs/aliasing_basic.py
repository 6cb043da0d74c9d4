a = [1, 2, 3]
b = a  #@
c = b  #@
del a  #@
b = None  #@
del c  #@
