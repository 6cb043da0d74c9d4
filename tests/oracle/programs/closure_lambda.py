def adder(n):
    return lambda x: x + n

add5 = adder(5)  #@
r = add5(10)  #@
