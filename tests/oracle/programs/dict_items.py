d = {"a": [1], "b": [2]}
for k, v in d.items():
    x = v  #@
for k2 in d:
    y = d[k2]  #@
for v3 in d.values():
    z = v3  #@
end = d  #@
