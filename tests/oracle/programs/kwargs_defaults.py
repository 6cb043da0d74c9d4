def f(a, b=[], c=None):
    loc = b  #@
    return a

r = f(1, c=2)  #@
r2 = f(a=[5])  #@
