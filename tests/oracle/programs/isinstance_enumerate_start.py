class Base:
    pass


class Child(Base):
    pass


c = Child()
checks = [isinstance(c, (int, Base)), isinstance(True, int), isinstance(3, (list, tuple))]  #@
more = [isinstance("s", object), isinstance([1], (list, tuple)), isinstance(2.5, (int, float))]  #@
pairs = []
for i, ch in enumerate("abc", 1):
    pairs.append((i, ch))  #@
for i, ch in enumerate(["x", "y"], start=10):
    pairs.append((i, ch))  #@
