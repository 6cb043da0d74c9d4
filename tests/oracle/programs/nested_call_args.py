def inner(v):
    seen = v  #@
    return [v]

def outer(a, b):
    return a + b

p = [1]
q = [2]
r = outer(p, inner(q))  #@
