def zeros(r, c):
    return [[0.0] * c for _ in range(r)]

a = zeros(3, 3)  #@
for i in range(3):
    a[i][i] = 1.0  #@
row0 = a[0]  #@
