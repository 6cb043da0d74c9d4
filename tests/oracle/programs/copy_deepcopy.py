# copy.deepcopy of lists, dicts and tuples: new containers built as copy.py builds them; atomic
# values and tuples of them shared; a shared list copied once (the memo).
import copy
from copy import deepcopy

cities = {0: [0, 0], 1: [0, 5], 2: [3, 8], 3: [8, 10], 4: [12, 8], 5: [12, 4]}
unvisited = copy.deepcopy(cities)  #@
del unvisited[0]  #@
pair = (1, "a")
same_pair = deepcopy(pair)  #@
nested = [[1, [2]], (3, [4])]
shared = [nested[0], nested[0]]
twin = deepcopy(shared)  #@
deep = deepcopy(nested)  #@
alias_ok = [1] if twin[0] is twin[1] and twin[0] is not nested[0] else "no"  #@
