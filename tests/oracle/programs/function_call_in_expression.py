def inner(x):
    y = x  #@
    return 1

a = [5, 6]
b = [inner(a), 2]  #@
