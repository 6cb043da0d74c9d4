#!/usr/bin/env python3
"""Writes a large C file for bench/c_flow_bench: copies of the labeled corpus (tests/corpus/c)
with every function renamed per copy, so the file holds realistic allocation code, wrappers and
bugs rather than one repeated template.  Usage: gen_c_memory.py LINES OUT.c"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = re.compile(r"^(?:static\s+)?[A-Za-z_][\w\s\*]*?\b([A-Za-z_]\w*)\s*\(", re.M)


def main():
    lines, out = int(sys.argv[1]), Path(sys.argv[2])
    sources = [p.read_text() for p in sorted((ROOT / "tests" / "corpus" / "c").glob("*.c"))]
    chunks, total, copy = [], 0, 0
    while total < lines:
        for text in sources:
            names = {m.group(1) for m in DEFINITION.finditer(text)} - {"if", "while", "for", "switch", "return", "sizeof"}
            body = re.sub(r"\b(" + "|".join(sorted(names, key=len, reverse=True)) + r")\b(?=\s*\()",
                          lambda m: f"{m.group(1)}_{copy}", text) if names else text
            chunks.append(body)
            total += body.count("\n")
            if total >= lines:
                break
        copy += 1
    out.write_text("".join(chunks))


if __name__ == "__main__":
    main()
