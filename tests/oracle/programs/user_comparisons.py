# Comparisons that run the class's own __lt__/__eq__/__gt__ (the reflected one when the left
# operand has none; != from __eq__ inverted).
class Node:
    def __init__(self, name, val):
        self.name = name
        self.val = val

    def __lt__(self, other):
        result = self.val < other.val  #@
        return result

    def __eq__(self, other):
        same = self.name == other.name
        return same


class Point:
    def __init__(self, x):
        self.x = x

    def __gt__(self, other):
        return self.x > other.x


a = Node("a", [3])
b = Node("b", [5])
less = a < b  #@
more = b > a  #@
eq = a == Node("a", [1])  #@
ne = a != b  #@
p = Point(1)
q = Point(2)
lt = p < q  #@
items = [a, b]
smallest = a if a < b else b  #@

# `in` over a list of instances: identity first, then the item's __eq__.
class Spot:
    def __init__(self, pos, cost):
        self.pos = pos
        self.cost = cost

    def __eq__(self, other):
        same = self.pos == other.pos
        return same


class Plain:
    pass


sa = Spot((1, 2), [5])
sb = Spot((3, 4), [6])
closed = [sa, sb]
probe = Spot((3, 4), [0])
hit = probe in closed  #@
miss = Spot((9, 9), [1]) in closed  #@
self_hit = sa in (sa, sb)  #@
p = Plain()
q = Plain()
plain_hit = p in [q, p]  #@
plain_miss = Plain() in [q]  #@
