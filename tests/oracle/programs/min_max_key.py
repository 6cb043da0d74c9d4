def weight(item):
    w = item[1]  #@
    return w


items = [("a", 3), ("b", 1), ("c", 3), ("d", 0)]
light = min(items, key=weight)  #@
heavy = max(items, key=weight)  #@
longest = max(["ab", "abc", "x"], key=len)  #@
first = min(items, key=lambda p: p[0])  #@
