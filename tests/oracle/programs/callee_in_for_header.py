def items(src):
    view = src  #@
    return src

data = [[1], [2]]
for it in items(data):
    cur = it  #@
