s = ""
for ch in "abcdef":
    s += ch  #@
t = s  #@
