def make(n):
    def f():
        return n
    return f

funcs = [make(i) for i in range(3)]  #@
f0 = funcs[0]  #@
