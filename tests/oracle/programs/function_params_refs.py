def look(items):
    first = items  #@
    return len(first)

data = [1, 2, 3, 4]
n = look(data)  #@
