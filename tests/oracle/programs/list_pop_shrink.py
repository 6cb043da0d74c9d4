a = [1, 2, 3, 4, 5, 6, 7, 8, 9]
for i in range(8):
    a.pop()
left = a  #@
a.clear()  #@
