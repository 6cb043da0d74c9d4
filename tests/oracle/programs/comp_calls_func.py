def f(x):
    y = x  #@
    return len(y)

data = [[1], [2, 3]]
res = [f(x) for x in data]  #@
