def outer():
    data = [1, 2, 3]
    def get():
        return data
    ref = data  #@
    return get

g = outer()  #@
lst = g()  #@
