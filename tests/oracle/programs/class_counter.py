class C:
    count = 0
    def __init__(self):
        C.count += 1
        self.tag = [C.count]

objs = [C(), C()]  #@
first = objs[0]  #@
