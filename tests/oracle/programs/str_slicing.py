text = "memory management"
word = text[0:6]  #@
whole = text[:]  #@
letter = text[3]  #@
