class Queue:
    def __init__(self):
        self.inbox = []
        self.outbox = []

    def put(self, x):
        self.inbox.append(x)

    def get(self):
        if not self.outbox:
            while self.inbox:
                self.outbox.append(self.inbox.pop())
        return self.outbox.pop()

q = Queue()
q.put("a1")
q.put("b2")
q.put("c3")
first = q.get()  #@
ob = q.outbox  #@
