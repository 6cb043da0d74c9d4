def find(items, target):
    for it in items:
        if it[0] == target:
            return it
    return None

rows = [[1, "a"], [2, "b"], [3, "c"]]
hit = find(rows, 2)  #@
miss = find(rows, 9)  #@
