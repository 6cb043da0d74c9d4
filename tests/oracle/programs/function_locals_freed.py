def work(n):
    tmp = [0] * n  #@
    total = len(tmp)  #@
    return total

r = work(1000)  #@
