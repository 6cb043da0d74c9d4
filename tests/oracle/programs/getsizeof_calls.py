import sys
a = [1, 2, 3]
n = sys.getsizeof(a)  #@
r = sys.getrefcount(a)  #@
