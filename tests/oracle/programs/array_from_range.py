import array
a = array.array("q", range(10))  #@
b = array.array("q", range(3))  #@
a.extend(b)  #@
