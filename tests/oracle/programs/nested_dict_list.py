db = {}
for k in ["x", "y"]:
    db[k] = {"vals": [], "n": 0}  #@
db["x"]["vals"].append([1])  #@
xs = db["x"]  #@
