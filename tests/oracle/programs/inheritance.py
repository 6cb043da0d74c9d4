class Base:
    def __init__(self):
        self.data = [0] * 4

class Child(Base):
    def size(self):
        return len(self.data)

ch = Child()  #@
n = ch.size()  #@
