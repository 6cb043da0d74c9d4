import gc
gc.disable()

class Tree:
    def __init__(self):
        self.children = []
        self.parent = None

root = Tree()
kid = Tree()
kid.parent = root
root.children.append(kid)  #@
root = None  #@
kid = None  #@
gc.collect()  #@
