squares = [i * i for i in range(10)]  #@
evens = [x for x in squares if x % 2 == 0]  #@
