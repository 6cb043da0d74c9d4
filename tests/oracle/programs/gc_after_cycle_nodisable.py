import gc
class N:
    def __init__(self):
        self.me = self

n = N()  #@
del n
gc.collect()
after = 1  #@
