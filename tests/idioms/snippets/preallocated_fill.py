# expect: preallocated-fill
n = 10
squares = [None] * n
for i in range(n):
    squares[i] = i * i
print(squares)
