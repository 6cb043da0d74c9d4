# list(), tuple() and len() of instances whose class defines __iter__ (a generator) and
# __len__: list() and tuple() make the iterator, then ask len() once for their length hint.
class Stack:
    def __init__(self):
        self.items = []

    def push(self, x):
        self.items.append(x)

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        for x in self.items:
            yield x


class Chain:
    def __init__(self, values):
        self.values = values

    def __len__(self):
        size = len(tuple(iter(self)))  #@
        return size

    def __iter__(self):
        i = 0  #@
        while i < len(self.values):
            yield self.values[i]
            i += 1  #@


s = Stack()
for v in range(11):
    s.push([v])
copy = list(s)  #@
c = Chain(["a", "b", "c"])
as_tuple = tuple(c)  #@
as_list = list(c)  #@
n = len(c)  #@
head = [1, 2]
more = [*head, 3]  #@
front = [0, *head]  #@
both = (*head, *more)  #@
table = dict(zip("abc", [10, 20, 30]))  #@
numbered = dict(enumerate("abc"))  #@
squares = dict((k, k * k) for k in range(5))  #@
grown = []
grown.extend(x for x in range(20))  #@
biggest = max(len(w) for w in ["a", "bbb", "cc"])  #@


def gen(n):
    for i in range(n):
        yield i


# Sizes: an empty list is preallocated to the length hint (len() of the instance, 8 for a
# generator), then grows by appends and is cut back at the end.
s9 = Stack()
for v in range(9):
    s9.push(v)
a9 = list(s9)  #@
b9 = list(gen(9))  #@
b1 = list(gen(1))  #@
c13 = list(iter(list(range(13))))  #@
e9 = [7]
e9.extend(gen(9))  #@
