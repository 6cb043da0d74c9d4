n = 10
buf = [None] * n  #@
for i in range(n):
    buf[i] = i * 1000  #@
mid = buf[5]  #@
