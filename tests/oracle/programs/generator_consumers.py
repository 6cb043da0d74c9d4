# Generators and generator expressions as CPython runs them: the frame suspends at each
# `yield`; while it waits, what it holds is the interpreter's.
def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1  #@


def pairs(items):
    for a in items:
        for b in items:
            if a < b:
                yield a, b


class Node:
    def __init__(self, data):
        self.data = data
        self.next = None


class LinkedList:
    def __init__(self):
        self.head = None

    def push(self, data):
        node = Node(data)  #@
        node.next = self.head
        self.head = node

    def __iter__(self):
        node = self.head  #@
        while node:
            yield node.data
            node = node.next  #@


def tree(depth):
    if depth == 0:
        yield depth
        return
    yield from tree(depth - 1)
    yield depth
    yield from tree(depth - 1)


total = 0
for k in count_up(4):
    total += k  #@
found = []
for p in pairs([1, 2, 3]):
    found.append(p)  #@
ll = LinkedList()
ll.push([1])
ll.push([2, 3])
for item in ll:
    seen = item  #@
as_list = list(ll)  #@
words = ["ab", "cde", "f"]
lengths = list(len(w) for w in words)  #@
for w2 in (w * 2 for w in words if len(w) > 1):
    last = w2  #@
g = count_up(3)
first = next(g)  #@
rest = list(g)  #@
s = sum(x * x for x in count_up(5))  #@
nodes = list(tree(2))  #@
evens = set(x for x in range(10) if x % 2 == 0)  #@
