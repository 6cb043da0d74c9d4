def outer(n):
    acc = []
    def add(x):
        acc.append(x)
    for i in range(n):
        add(i)
    view = acc  #@
    return acc

res = outer(5)  #@
