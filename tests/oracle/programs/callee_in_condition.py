def check(x):
    seen = x  #@
    return len(x) > 1

data = [1, 2]
if check(data):
    ok = data  #@
n = 0
while check(data) and n < 2:
    n += 1
