fs = []
for i in range(3):
    def g(k=i):
        return k
    fs.append(g)  #@
h = fs[0]  #@
