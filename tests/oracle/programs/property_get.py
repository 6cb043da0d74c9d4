# A @property's getter runs on attribute access, given the instance.
class Box:
    def __init__(self, items):
        self.items = items

    @property
    def size(self):
        n = len(self.items)  #@
        return n

    @property
    def first(self):
        head = self.items[0]  #@
        return head


b = Box([[1], [2], [3]])
s = b.size  #@
f = b.first  #@
again = b.first  #@
