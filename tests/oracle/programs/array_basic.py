from array import array
a = array("i", [1, 2, 3])  #@
b = array("d", [0.0] * 10)  #@
c = array("b")  #@
