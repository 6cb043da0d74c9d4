stack = []
i = 0
while i < 5:
    stack.append([i])  #@
    i += 1
top = stack.pop()  #@
