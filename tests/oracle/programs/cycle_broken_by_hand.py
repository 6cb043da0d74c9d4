class Node:
    def __init__(self):
        self.next = None

a = Node()
b = Node()
a.next = b
b.next = a  #@
b.next = None  #@
del a  #@
del b  #@
