import array
ints = [0] * 1000  #@
packed = array.array("i", [0]) * 1000  #@
