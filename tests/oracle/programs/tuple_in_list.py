pts = []
for i in range(5):
    pts.append((i, i + 1000))  #@
p = pts[3]  #@
