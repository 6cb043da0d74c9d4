import random

r = random.random()
kept = []


def g(n):
    x = [1] * n
    if r < 2:
        kept.append(n)
    y = [0] * n  #@
    kept.append(y)
    return x


a = g(3)  #@
b = g(5)  #@
