class T:
    def __init__(self, v):
        self.v = v
        self.kids = []

def build(d):
    t = T(d)
    if d > 0:
        t.kids.append(build(d - 1))
        t.kids.append(build(d - 1))
    return t

root = build(3)  #@
kid = root.kids[0]  #@
root = None  #@
