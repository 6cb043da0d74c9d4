class K:
    items = []
    def __init__(self):
        pass

a = K()
b = K()
a.items = [1]  #@
b.items.append(2)  #@
shared = K.items  #@
