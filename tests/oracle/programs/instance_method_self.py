class Box:
    def __init__(self, v):
        self.v = v

    def get(self):
        me = self  #@
        return self.v

b = Box([1])
val = b.get()  #@
