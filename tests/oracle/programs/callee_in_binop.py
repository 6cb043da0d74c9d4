def part(x):
    y = x  #@
    return [x]

p = [1]
whole = part(p) + part(p)  #@
