s = "hello"
t = s + " world"  #@
u = t
s = s + "!"  #@
