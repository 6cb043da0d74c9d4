# expect: numeric-list, numeric-list
counts = [0] * 1_000_000
counts[5] = 3
counts[-1] += 2
print(sum(counts), len(counts), counts[5])


def ids():
    return list(range(150_000))


print(sum(ids()))
