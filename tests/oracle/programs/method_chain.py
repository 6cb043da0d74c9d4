class Stack:
    def __init__(self):
        self.items = []
    def push(self, x):
        self.items.append(x)
        return self
    def top(self):
        return self.items[-1]

s = Stack()
s.push([1]).push([2])  #@
t = s.top()  #@
