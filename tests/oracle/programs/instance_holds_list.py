class Bag:
    def __init__(self):
        self.items = []

    def add(self, v):
        self.items.append(v)  #@

bag = Bag()
bag.add(1)
stuff = bag.items  #@
del bag  #@
