buf = bytearray()
for i in range(20):
    buf.append(65)  #@
