inner = [1, 2]
outer = [inner, inner, [inner]]  #@
d = {"a": inner, "b": outer}  #@
del inner  #@
outer = None  #@
