parts = []
for i in range(5):
    parts.append("line" + str(i))  #@
text = "\n".join(parts)  #@
del parts  #@
