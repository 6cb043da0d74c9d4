groups = {}
for w in ["apple", "avocado", "banana"]:
    groups.setdefault(w[0], []).append(w)  #@
a_list = groups["a"]  #@
