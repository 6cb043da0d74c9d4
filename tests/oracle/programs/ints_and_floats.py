small = 7  #@
big = 10 ** 6
computed = big + 1  #@
f = 1.5
g = f * 2  #@
