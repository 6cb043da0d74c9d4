class Node:
    def __init__(self, v, nxt):
        self.v = v
        self.next = nxt

head = None
for i in range(50):
    head = Node(i, head)
second = head.next  #@
head = None  #@
second = None  #@
