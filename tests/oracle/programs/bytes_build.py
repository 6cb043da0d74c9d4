out = bytearray()
for i in range(10):
    out += bytes([65 + i]) if False else b"ab"  #@
n = len(out)  #@
