# expect: manual-free, manual-free, manual-free
import gc


def work():
    data = [0] * 100
    total = sum(data)
    del data
    return 0


def other():
    buf = bytearray(10)
    buf[0] = 1
    buf = None


def middle():
    big = [1] * 1000
    n = len(big)
    del big  # legitimate: real work follows
    return sum(range(n))


x = [1, 2]
del x
gc.collect()
print(work(), other(), middle())
