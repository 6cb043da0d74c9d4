# The Python side of the lesson "Memory Management: how memory is allocated and freed".
# No manual memory management!
# Python uses garbage collection (reference counting + GC)
import array

import numpy as np

# Lists grow automatically
arr = []
arr.append(1)
arr.append(2)
arr.extend(range(20))  # no realloc needed

# Strings are immutable objects: no strdup needed
s = "hello"
s2 = s + " world"  # creates a new string


# Memory is freed automatically when objects go out of scope
def process():
    big_data = [0] * 1_000_000  # allocated
    # ... use big_data ...
    return len(big_data)  # big_data is freed automatically when the function returns


process()

# For large data, use the array module or numpy for efficiency
nums = array.array('i', [1, 2, 3, 4, 5])

# Step by step, 1. No malloc/free
arr = [0] * 10  # allocated automatically
# ... use arr ...
# freed automatically

# 3. Efficiency for large data
arr = np.zeros(1_000_000, dtype=np.int32)  # contiguous C memory
