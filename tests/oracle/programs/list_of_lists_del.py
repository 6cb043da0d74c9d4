m = [[i] * 3 for i in range(4)]
r = m[2]
del m  #@
r2 = r  #@
