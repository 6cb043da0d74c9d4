line = "alpha beta  gamma " + str(len([1]))
words = line.split()  #@
first = words[0]  #@
one = "single".split()  #@
csv = "a1,b2,c3".split(",")  #@
tok = csv[1]  #@
