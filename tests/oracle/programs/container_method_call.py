class Box:
    def __init__(self):
        self.n = [0]
    def touch(self):
        me = self  #@
        return self.n

boxes = [Box(), Box()]
got = boxes[1].touch()  #@
