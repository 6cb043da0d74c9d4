data = [5, 3, 9, 1]
ordered = sorted(data)  #@
data.sort()  #@
