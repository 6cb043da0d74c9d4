def helper(v):
    return [v]

class H:
    def __init__(self):
        self.fn = helper

h = H()
out = h.fn(3)  #@
