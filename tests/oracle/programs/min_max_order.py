# min()/max() of floats, str and tuples (the first of equal items kept); a class's __name__.
class Node:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"{self.__class__.__name__}({self.name})"


points = [(3.0, 1.0), (1.0, 2.0), (1.0, 0.5), (4.0, 4.0)]
low = min(points)  #@
high = max(points)  #@
word = min(["pear", "apple", "fig"])  #@
mixed = max([1.5, 2, 0.5])  #@
n = Node("x")
text = repr(n) if False else f"{n}"  #@
kind = n.__class__.__name__  #@
