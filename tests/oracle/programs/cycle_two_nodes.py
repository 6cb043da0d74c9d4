import gc
gc.disable()

class Node:
    def __init__(self, name):
        self.name = name
        self.other = None

x = Node("x")
y = Node("y")
x.other = y  #@
y.other = x  #@
del x  #@
del y  #@
n = gc.collect()  #@
