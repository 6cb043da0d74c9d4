# struct.pack/unpack with standard sizes, and bytes(text, encoding): the values feed the checks.
import struct
  #@
data = bytes("Hello World!!", "utf-8")  #@
padding = b"\x80" + (b"\x00" * (63 - (len(data) + 8) % 64))  #@
big_endian = struct.pack(">Q", (len(data) * 8))  #@
block = data + padding + big_endian  #@
words = list(struct.unpack(">16L", block))  #@
little = struct.pack("<HhBb", 65535, -2, 7, -7)  #@
back = struct.unpack("<HhBb", little)  #@
huge = struct.pack(">Q", 2**64 - 1)  #@
again = struct.unpack(">Q", huge)  #@
text = bytes("abc", "ascii")  #@
check = [0] if back == (65535, -2, 7, -7) and again == (2**64 - 1,) and words[0] == 0x48656C6C and words[15] == 104 else "wrong"  #@
sliced = block[8:20]  #@
whole = block[:]  #@
one = block[3:4]  #@
h = hex(words[0])  #@
padded = h[2:].zfill(12)  #@
same = h.zfill(3)  #@
o = oct(-8)  #@
b = bin(2**70)  #@
digest = "".join([hex(w)[2:].zfill(8) for w in words[:4]])  #@
check2 = [1] if digest == "48656c6c6f20576f726c642121800000" and o == "-0o10" and padded == "000048656c6c" else "wrong"  #@
