vals = [1.5, 2.5, 3.5]
acc = 0.0
for v in vals:
    acc = acc + v  #@
mean = acc / len(vals)  #@
