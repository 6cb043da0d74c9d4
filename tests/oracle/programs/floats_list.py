fl = [0.5 * i for i in range(5)]  #@
one = fl[1]  #@
