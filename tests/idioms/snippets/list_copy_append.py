# expect: list-copy-append, list-copy-append
acc = []
for word in ["a", "b", "c"]:
    acc = acc + [word]
pairs = []
for k in range(3):
    pairs = pairs + [k, k * k]
print(acc, pairs)
