def build(n):
    if n == 0:
        return []
    rest = build(n - 1)
    rest.append(n)  #@
    return rest

chain = build(5)  #@
