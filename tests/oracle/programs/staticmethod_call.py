class Hasher:
    def __init__(self, data):
        self.data = data
        self.words = Hasher.split(data)

    @staticmethod
    def split(data):
        parts = [data[i : i + 2] for i in range(0, len(data), 2)]
        return parts

    def total(self):
        return self.count(self.words)

    @staticmethod
    def count(words):
        n = len(words)  #@
        return n


h = Hasher("abcdef")  #@
t = h.total()  #@
w = Hasher.split("xyzw")  #@
