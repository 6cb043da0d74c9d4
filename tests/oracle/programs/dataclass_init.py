import dataclasses


@dataclasses.dataclass
class Node:
    data: int
    next_node: "Node | None" = None
    label: str = "n"


@dataclasses.dataclass
class Empty:
    pass


head = Node(1)  #@
second = Node(2, head)  #@
third = Node(3, next_node=second, label="third")  #@
items = [head, second, third]  #@
e = Empty()  #@
del head  #@
