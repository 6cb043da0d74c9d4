def make(n):
    result = []
    for i in range(n):
        result.append(i)
    return result

lst = make(10)  #@
other = make(3)  #@
