data = []
empty = not data  #@
data.append(0)
full = bool(data)  #@
