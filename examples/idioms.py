# More of the lesson in Python: the idioms c2py-lsp explains beyond lesson.py, including the C
# habits it warns about (each marked "habit").
import array
import gc
import sys


class Node:
    def __init__(self, value):
        self.value = value
        self.next = None


def build_grid(rows, cols):
    grid = [[0] * cols] * rows  # habit: every row is the same list
    return grid


def squares(n):
    result = [None] * n  # habit: malloc, then fill by index
    for i in range(n):
        result[i] = i * i
    return result


def greet(names):
    text = ""
    for name in names:
        text += name + " "  # habit: a new string on each pass
    parts = []
    for name in names:
        parts = parts + [name]  # habit: copies the list on each pass
    return text + ", ".join(parts)


def process():
    scratch = [0] * 1000
    total = sum(scratch)
    del scratch  # habit: the local goes at return anyway
    return total


class Resource:
    def __init__(self, path):
        self.handle = open(path)

    def __del__(self):  # habit: releasing a file in a finalizer
        self.handle.close()


with open(__file__) as source:
    first_line = source.readline()

a = [1, 2, 3]
b = a  # the same list: its count is now 2
middle = a[1:]  # a new list
pair = [a, b]
label = f"{len(a)} items"
data = bytearray(16)
data[0] = 0x7F
codes = array.array('b', [1, 2, 3])
big = list(range(200_000))
try:
    a[3] = 4
except IndexError as error:
    print(error)
try:
    scores = [0.0] * 10
except MemoryError:
    scores = None

head = Node(1)
head.next = Node(2)
head.next.next = head  # a cycle: head and its successor refer to each other
head = None
gc.collect()
print(sys.getrefcount(a), build_grid(2, 2), squares(3), greet(["x"]), process(), first_line, label, middle, pair)
