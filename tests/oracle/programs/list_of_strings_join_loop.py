words = []
for i in range(12):
    words.append("w%d" % 1 if False else "word" + str(i))  #@
sentence = " ".join(words)  #@
