single = [[1, 2]]
single.sort()
single.reverse()
top = single.pop()  #@
many = [1, 2, 3, 4]
many.pop()
many.pop()
many.pop()
many.pop()  #@
