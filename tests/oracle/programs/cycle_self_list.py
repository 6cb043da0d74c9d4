import gc
gc.disable()
a = []
a.append(a)  #@
del a  #@
gc.collect()  #@
