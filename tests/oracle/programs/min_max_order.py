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

# min()/max() of instances: the class's __lt__/__gt__, item and best each held twice by min_max.
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __lt__(self, other):
        before = (self.y, self.x) < (other.y, other.x)  #@
        return before

    def __gt__(self, other):
        return (self.y, self.x) > (other.y, other.x)


pts = [Point(2, 1), Point(0, 0), Point(1, 0), Point(3, 5)]
low = min(pts)  #@
high = max(pts)  #@
others = [p for p in pts if p is not low]
