a = "caf\u00e9 au lait"
b = a + " \u00e0 la carte"  #@
c = "\u20ac" * 3
d = c + "\u20ac\u20ac"  #@
e = "\U0001F600" + "\U0001F600" + c  #@
