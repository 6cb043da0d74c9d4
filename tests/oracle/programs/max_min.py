xs = [3000, 1000, 2000]
hi = max(xs)  #@
lo = min(xs)  #@
