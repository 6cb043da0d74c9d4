a = bytearray(10)  #@
b = bytearray(b"abc")  #@
a += b"xyz"  #@
b.extend(b"12345")  #@
