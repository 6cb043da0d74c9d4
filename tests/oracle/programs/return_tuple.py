def two():
    p = [1]
    q = [2]
    return p, q

m, n = two()  #@
t = two()  #@
