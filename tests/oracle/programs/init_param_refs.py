class A:
    def __init__(self, v, w=None):
        self.v = v  #@
        self.w = w

lst = [1]
other = [2]
a = A(lst)  #@
b = A(lst, w=other)  #@
