import gc
gc.disable()
d = {}
d["self"] = d  #@
del d  #@
gc.collect()  #@
