class S:
    def __init__(self, items):
        self.items = items
        self.setup(items)

    def setup(self, src):
        mine = src  #@
        self.count = len(src)

xs = [3, 4]
s = S(xs)  #@
