items = [1, 2]
try:
    x = items[1]  #@
except IndexError:
    x = None
y = x  #@
