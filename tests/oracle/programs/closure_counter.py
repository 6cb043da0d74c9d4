def make_counter():
    counts = [0]
    def inc():
        counts[0] += 1
        return counts[0]
    return inc

c = make_counter()  #@
c()  #@
