def chunk(i):
    tmp = [i] * 1000
    return len(tmp)

total = 0
for i in range(3):
    total = total + chunk(i)  #@
end = total  #@
