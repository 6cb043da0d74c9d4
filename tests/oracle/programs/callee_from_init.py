def register(obj, where):
    where.append(obj)  #@

reg = []

class R:
    def __init__(self, tag):
        self.tag = tag
        register(self, reg)

r = R([7])  #@
