zeros = [0] * 10  #@
many = [None] * 1000  #@
