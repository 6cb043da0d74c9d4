# for … else and while … else: the else block runs when no break ended the loop (the for
# loop's iterator is dropped first).
found = []
for x in [[1], [2]]:
    if x == [5]:
        break
else:
    found.append("none")
    note = found  #@
n = 0
while n < 3:
    n += 1
else:
    done = [n]  #@
for y in [[3], [4]]:
    if y == [4]:
        hit = y  #@
        break
else:
    never = 1
k = 0  #@
while True:
    k += 1
    if k > 2:
        break
else:
    never2 = 2
after = [k, n]  #@
