import gc
data = [1, 2, 3]
gc.collect()  #@
