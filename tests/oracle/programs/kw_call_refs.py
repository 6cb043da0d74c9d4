def f(a, b=None):
    x = b  #@
    return 0

p = [1]
q = [2]
f(p, b=q)  #@
