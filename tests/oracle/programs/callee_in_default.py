def mk(src):
    held = src  #@
    return len(src)

base = [1, 2]
def g(x=mk(base)):
    return x

r = g()  #@
