def f(x):
    seen = x  #@
    return [0]

a = [1]
b = [2]
out = [f(a), f(b)]  #@
d = {"k": f(a), "j": f(b)}  #@
