def by_second(pair):
    k = pair[1]  #@
    return k


pairs = [("a", 3), ("b", 1), ("c", 2)]
ordered = sorted(pairs, key=by_second)  #@
names = sorted(["bb", "a", "ccc"], key=len, reverse=True)  #@
lam = sorted(pairs, key=lambda p: -p[1])  #@
back = sorted([3, 1, 2], reverse=True)  #@
