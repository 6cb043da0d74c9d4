a = [1, 2]
print(a, len(a))
b = a  #@
print("x=%d" % 3)
