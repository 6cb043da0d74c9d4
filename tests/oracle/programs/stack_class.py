class Stack:
    def __init__(self):
        self.data = []
        self.size = 0

    def push(self, v):
        self.data.append(v)
        self.size += 1

    def pop(self):
        self.size -= 1
        return self.data.pop()

st = Stack()
for i in range(6):
    st.push([i])  #@
top = st.pop()  #@
inner = st.data  #@
