class Config:
    shared = [1, 2, 3]

    def __init__(self):
        self.own = [4]

c1 = Config()
c2 = Config()
s = Config.shared  #@
