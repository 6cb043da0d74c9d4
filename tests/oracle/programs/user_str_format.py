# str(), print() and f-strings of instances run the class's __str__ (or __repr__); containers print
# as their repr.
class Node:
    def __init__(self, data):
        self.data = data
        self.next = None

    def __str__(self):
        text = f"Node({self.data})"  #@
        return text


class Named:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


class LinkedList:
    def __init__(self):
        self.head = None

    def __iter__(self):
        node = self.head
        while node:
            yield node.data
            node = node.next

    def __str__(self):
        return "->".join([str(x) for x in self])


n = Node([1])
label = f"{n}"  #@
both = f"first {n} then {Named('x')}"  #@
who = Named("alice")
same = f"{who}"  #@
print(n)
ll = LinkedList()
ll.head = n
shown = f"list: {ll}"  #@
print(ll)
row = [1, "a", (2,), None, 2.5, {"k": [True]}]
shown_row = f"row={row} {(1, 2)} {2**70}"  #@
as_text = str(row) + str(2.5) + str(n)  #@
