cache = []

def remember(x):
    global cache
    cache.append(x)  #@

item = [1, 2]
remember(item)  #@
