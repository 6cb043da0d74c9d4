found = []
for n in range(10):
    if n % 2 == 0:
        continue
    found.append(n)
    if len(found) == 3:
        break
last = found  #@
