#!/usr/bin/env python3
"""Generates C and Python files of a given number of lines for the benchmarks: ordinary code with
the allocations, loops, structs and classes a port would have, deterministic for a given size."""
import os
import random
import sys

C_FUNCTIONS = [
    """int *make_{i}(int n) {{
    int *arr = malloc(n * sizeof(int));
    if (!arr)
        return NULL;
    for (int k = 0; k < n; k++)
        arr[k] = k * {i};
    return arr;
}}
""",
    """int grow_{i}(struct buffer *b, size_t extra) {{
    char *grown = realloc(b->data, b->size + extra);
    if (grown == NULL)
        return -1;
    b->data = grown;
    b->size += extra;
    return 0;
}}
""",
    """void fill_{i}(double *out, int n) {{
    double *tmp = calloc(n, sizeof(double));
    if (tmp == NULL) {{
        return;
    }}
    for (int k = 1; k < n; k++) {{
        tmp[k] = tmp[k - 1] + {i}.5;
        out[k] = tmp[k] * 2;
    }}
    free(tmp);
}}
""",
    """char *label_{i}(const char *name) {{
    char *copy = strdup(name);
    size_t len = strlen(copy);
    if (len > {j}) {{
        copy[{j}] = '\\0';
    }}
    return copy;
}}
""",
    """struct node *push_{i}(struct node *head, int value) {{
    struct node *n = malloc(sizeof(struct node));
    if (!n)
        return head;
    n->value = value;
    n->next = head;
    return n;
}}
""",
    """int sum_{i}(const int *xs, int n) {{
    int total = 0;
    int window[16];
    for (int k = 0; k < n && k < 16; k++) {{
        window[k] = xs[k];
        total += window[k] * {j};
    }}
    return total;
}}
""",
]

PY_FUNCTIONS = [
    """def make_{i}(n):
    arr = []
    for k in range(n):
        arr.append(k * {i})
    return arr

""",
    """def words_{i}(text):
    out = ""
    for word in text.split():
        out = out + word.upper() + " "
    return out.strip()

""",
    """class Node{i}:
    def __init__(self, value, nxt=None):
        self.value = value
        self.next = nxt

    def total(self):
        node, s = self, 0
        while node is not None:
            s += node.value
            node = node.next
        return s

""",
    """def grid_{i}(rows, cols):
    grid = [[0] * cols for _ in range(rows)]
    for r in range(rows):
        grid[r][r % cols] = {j}
    return grid

""",
    """def stats_{i}(values):
    squares = [v * v for v in values]
    mean = sum(values) / max(len(values), 1)
    table = {{"mean": mean, "n": len(values)}}
    table["sq"] = sum(squares)
    return table

""",
]


def generate(kind, lines):
    rng = random.Random(lines)
    parts = []
    count = 0
    if kind == "c":
        header = "#include <stdlib.h>\n#include <string.h>\n\nstruct buffer { char *data; size_t size; };\n" \
                 "struct node { int value; struct node *next; };\n\n"
        parts.append(header)
        count = header.count("\n")
        templates = C_FUNCTIONS
    else:
        header = "import array\nimport gc\n\n\n"
        parts.append(header)
        count = header.count("\n")
        templates = PY_FUNCTIONS
    i = 0
    while count < lines:
        text = rng.choice(templates).format(i=i, j=rng.randint(2, 9))
        if kind == "c":
            text += "\n"
        parts.append(text)
        count += text.count("\n")
        i += 1
    return "".join(parts)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "out")
    sizes = [int(s) for s in sys.argv[2:]] or [1000, 10000, 100000]
    os.makedirs(out, exist_ok=True)
    for lines in sizes:
        for kind, ext in (("c", "c"), ("python", "py")):
            path = os.path.join(out, "gen_%d.%s" % (lines, ext))
            with open(path, "w") as f:
                f.write(generate(kind, lines))
            print(path)


if __name__ == "__main__":
    main()
