a = list(range(100))
for i in range(60):
    a.pop()  #@
b = a  #@
a.insert(0, -1)  #@
