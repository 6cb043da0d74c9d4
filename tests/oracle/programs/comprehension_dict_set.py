lengths = {w: len(w) for w in ["aa", "bbb", "c"]}  #@
unique = {n % 3 for n in range(10)}  #@
