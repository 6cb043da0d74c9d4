s = ""
for i in range(10):
    s = s + "ab"  #@
result = s  #@
