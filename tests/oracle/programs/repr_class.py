class P:
    def __init__(self, x):
        self.x = x
    def __repr__(self):
        return "P(%d)" % self.x

p = P(5)  #@
ps = [p, p]  #@
