n = 3
s = "ab" * n  #@
t = "ab" * 3  #@
u = s + t  #@
