
class Node:
    def __init__(self, value: int, nxt: "Node | None" = None) -> None:
        self.value = value
        self.next = nxt  #@


head = Node(1, Node(2))  #@
items = [3, 4, 5]
if (count := len(items)) > 2:
    extra = [count] * count  #@
