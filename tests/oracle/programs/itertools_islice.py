# itertools.islice: an iterator that holds its source until the stop or the source's end.
import itertools
from itertools import islice


def chunker(seq, size):
    it = iter(seq)
    while True:
        chunk = tuple(itertools.islice(it, size))  #@
        if not chunk:
            return
        yield chunk


letters = "abcdefg"
pairs = list(chunker(letters, 2))  #@
data = [[1], [2], [3], [4]]
src = iter(data)
first_two = list(islice(src, 2))  #@
rest = list(src)  #@
none = list(islice(data, 0))  #@
