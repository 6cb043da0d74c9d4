class Res:
    def __init__(self, name):
        self.name = name

r = Res("a")  #@
s = Res("b")  #@
r = s  #@
