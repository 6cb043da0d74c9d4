# heapq.heappush/heappop/heapify as _heapqmodule.c sifts (items the model orders: ints, str, tuples).
import heapq
from heapq import heappop, heappush

heap = []
for v in [5, 3, 8, 1, 9, 2, 7]:
    heapq.heappush(heap, v)
first = heapq.heappop(heap)  #@
second = heappop(heap)  #@
pairs = [(4, "d"), (1, "a"), (3, "c"), (2, "b")]
heapq.heapify(pairs)  #@
top = heappop(pairs)  #@
heappush(pairs, (0, "z"))
order = [heappop(pairs) for _ in range(len(pairs))]  #@
ok = [1] if (first, second, order[0], top) == (1, 2, (0, "z"), (1, "a")) and heap[0] == 3 else "wrong"  #@
items = [[7], [3]]
box = []
heappush(box, (2, items[0]))
heappush(box, (1, items[1]))
got = heappop(box)  #@
single = [(0, "s")]
only = heappop(single)  #@
heappush(single, (5, "t"))  #@
