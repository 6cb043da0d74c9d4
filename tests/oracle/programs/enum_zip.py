names = ["ann", "bob"]
vals = [[1], [2]]
for i, v in enumerate(vals):
    got = v  #@
for n, v2 in zip(names, vals):
    pair = v2  #@
done = vals  #@
