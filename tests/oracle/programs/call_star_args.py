def show(*items, sep=None, **extra):
    box = [items, extra]  #@
    return len(box)


data = [1, 2]
pair = ("a", data)
n = show(*pair)  #@
m = show(data, *pair, flag=data)  #@
t = (data, data)
k = show(*t)  #@


def mixed(first, *rest, flag=None, **extra):
    seen = [first, rest, flag, extra]  #@
    return len(seen)


j = mixed(data, *pair, flag=data, other=t)  #@


def plain(a, b):
    both = (a, b)  #@
    return both


p = plain(*[data, t])  #@
