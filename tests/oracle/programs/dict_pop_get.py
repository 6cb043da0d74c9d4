d = {"x": [1], "y": [2]}
v = d.pop("x")  #@
w = d.get("y")  #@
d.clear()  #@
