class C:
    def __init__(self):
        self.n = 0

counts = {"a": 0}
counts["a"] += 1000  #@
c = C()
c.n += 1000  #@
