def depth(node, acc):
    acc.append(node)
    if len(acc) < 3:
        depth(node, acc)
    here = acc  #@
    return acc

nodes = [1]
res = depth(nodes, [])  #@
