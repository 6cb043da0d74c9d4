class Node:
    def __init__(self, v):
        self.v = v
        self.next = None

    def __len__(self):
        return 1

    def __eq__(self, other):
        return self.v == other.v


class P:
    def __init__(self, x):
        self.x = x


a = Node(1)  #@
b = Node(2)
p = P(1)  #@
q = P(2)
seen = {p: 1, q: 2}  #@
got = seen[p]  #@
lst = [p, q]
found = q in lst  #@
same = p == q  #@
s = {p}  #@
t = (p, q)
d = {t: 3}  #@
