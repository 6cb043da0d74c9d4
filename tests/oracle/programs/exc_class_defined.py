class MyError(Exception):
    pass

class Thing:
    @staticmethod
    def make():
        return Thing()

    def __init__(self):
        self.v = [1]

t = Thing()  #@
lst = t.v  #@
