data = []
try:
    data.append([1])  #@
finally:
    done = True
after = data  #@
