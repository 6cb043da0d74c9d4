data = []
for i in range(100):
    data.append(i)
size_after = len(data)  #@
data.append(1)  #@
