from doctest import testmod
from dataclasses import dataclass
from copy import deepcopy


@dataclass
class P:
    x: int = 0


a = [1, 2]
b = deepcopy(a)  #@
p = P(3)  #@
t = testmod  #@
if __name__ == "__main__":
    testmod()
    q = P()  #@
