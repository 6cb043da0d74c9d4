def g():
    a = [1, 2]
    b = a
    del a
    keep = b  #@
    return keep

r = g()  #@
