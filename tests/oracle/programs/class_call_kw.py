class C:
    def __init__(self, v=None):
        self.v = v  #@

lst = [1]
c = C(v=lst)  #@
d = C(C(lst))  #@
