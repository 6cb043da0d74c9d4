n = 0
words = []
while n < 7:
    words.append("w" + str(n))  #@
    n += 1
last = words[-1]  #@
