#!/usr/bin/env python3
"""Function-level precision, recall and F1 of c2py-lsp's C memory checks against gcc -fanalyzer,
clang-tidy (Clang analyzer unix.Malloc family, core, bugprone) and cppcheck, on the labeled corpus
in tests/corpus/c/.

Labels read like the code: a comment `/* expect: memory-leak */` (several codes separated by
commas, or `clean`) right before each function. A function spans from its label to the next one;
a tool "finds" category C in a function when it reports C on any line of that span.

    bench/evaluate_c.py                       # side-by-side table, every installed tool
    bench/evaluate_c.py --tools c2py --check  # c2py only; exit 1 below the targets (ctest)
    bench/evaluate_c.py --write-baseline      # record the best other tool's recall per category

C2PY_LSP (or --c2py) names the binary; default build/cflow/c2py-lsp.
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "c"
BASELINE = ROOT / "tests" / "corpus" / "baseline.json"
CATEGORIES = ["memory-leak", "double-free", "use-after-free", "realloc-leak", "unchecked-alloc", "free-non-heap"]
LABEL = re.compile(r"/\*\s*expect:\s*([a-z, -]+?)\s*\*/")


def functions_of(path):
    """[(first_line, last_line, set_of_codes)], 1-based inclusive, one per label."""
    lines = path.read_text().splitlines()
    starts = []
    for number, line in enumerate(lines, 1):
        m = LABEL.search(line)
        if m:
            codes = {c.strip() for c in m.group(1).split(",") if c.strip() and c.strip() != "clean"}
            unknown = codes - set(CATEGORIES)
            if unknown:
                sys.exit(f"{path}:{number}: unknown label {sorted(unknown)}")
            starts.append((number, codes))
    spans = []
    for i, (first, codes) in enumerate(starts):
        last = starts[i + 1][0] - 1 if i + 1 < len(starts) else len(lines)
        spans.append((first, last, codes))
    return spans


# ---- tools: each returns [(line, category)] for one file ----

def run(cmd, cwd=None, timeout=300):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def c2py(path, binary):
    out = run([binary, "--check", str(path), "--json"])
    data = json.loads(out.stdout)
    found = []
    for file in data["files"]:
        for d in file["diagnostics"]:
            if d.get("source") == "c2py" and d.get("code") in CATEGORIES:
                found.append((d["range"]["start"]["line"] + 1, d["code"]))
    return found


def leak_category(path, line):
    text = path.read_text().splitlines()
    return "realloc-leak" if 0 < line <= len(text) and "realloc(" in text[line - 1] else "memory-leak"


GCC_MAP = {
    "-Wanalyzer-malloc-leak": "memory-leak",
    "-Wanalyzer-double-free": "double-free",
    "-Wanalyzer-use-after-free": "use-after-free",
    "-Wanalyzer-possible-null-dereference": "unchecked-alloc",
    "-Wanalyzer-possible-null-argument": "unchecked-alloc",
    "-Wanalyzer-null-dereference": "unchecked-alloc",
    "-Wanalyzer-null-argument": "unchecked-alloc",
    "-Wanalyzer-free-of-non-heap": "free-non-heap",
}


def gcc(path):
    out = run(["gcc", "-fanalyzer", "-c", str(path), "-o", os.devnull])
    found = []
    for m in re.finditer(r"^(.*?):(\d+):\d+: warning: .*\[(-W[a-z-]+)\]$", out.stderr, re.M):
        if Path(m.group(1)).name != path.name or m.group(3) not in GCC_MAP:
            continue
        category = GCC_MAP[m.group(3)]
        line = int(m.group(2))
        if category == "memory-leak":
            category = leak_category(path, line)
        found.append((line, category))
    return found


TIDY_CHECKS = "-*,clang-analyzer-unix.Malloc*,clang-analyzer-unix.*,clang-analyzer-core.*,bugprone-*"


def tidy_category(check, message):
    m = message.lower()
    if "leak" in m:
        return "memory-leak"
    if "released memory" in m or "already released" in m or "freed twice" in m:
        return "double-free"
    if "after it is freed" in m or "after it is released" in m or "use of memory after" in m:
        return "use-after-free"
    if "argument to free()" in m or "argument to 'free()'" in m:
        return "free-non-heap"
    if "null pointer" in m and ("core." in check or "nullarg" in check.lower() or "nonnull" in check.lower()):
        return "unchecked-alloc"
    return None


def tidy(path):
    binary = shutil.which("clang-tidy-14") or shutil.which("clang-tidy")
    out = run([binary, f"-checks={TIDY_CHECKS}", str(path), "--"])
    found = []
    for m in re.finditer(r"^(.*?):(\d+):\d+: warning: (.*) \[([\w.,-]+)\]$", out.stdout, re.M):
        if Path(m.group(1)).name != path.name:
            continue
        category = tidy_category(m.group(4), m.group(3))
        if category is None:
            continue
        line = int(m.group(2))
        if category == "memory-leak":
            category = leak_category(path, line)
        found.append((line, category))
    return found


CPPCHECK_MAP = {
    "memleak": "memory-leak", "leakReturnValNotUsed": "memory-leak", "leakNoVarFunctionCall": "memory-leak",
    "memleakOnRealloc": "realloc-leak",
    "doubleFree": "double-free",
    "deallocuse": "use-after-free", "deallocret": "use-after-free", "useAfterFree": "use-after-free",
    "nullPointerOutOfMemory": "unchecked-alloc", "nullPointerArithmeticOutOfMemory": "unchecked-alloc",
    "ctunullpointerOutOfMemory": "unchecked-alloc",
    "autovarInvalidDeallocation": "free-non-heap", "invalidFree": "free-non-heap",
}


def cppcheck(path):
    out = run(["cppcheck", "--enable=all", "--inconclusive", "--quiet", "--template={line}:{id}:{message}", str(path)])
    found = []
    for m in re.finditer(r"^(\d+):(\w+):", out.stderr, re.M):
        if m.group(2) in CPPCHECK_MAP:
            found.append((int(m.group(1)), CPPCHECK_MAP[m.group(2)]))
    return found


# ---- scoring ----

def score(files, findings, misses=None):
    """findings: {path: [(line, category)]} → {category: [tp, fp, fn]}; misses collects
    (kind, category, file:line) for --verbose."""
    table = {c: [0, 0, 0] for c in CATEGORIES}
    for path in files:
        reported = findings.get(path, [])
        for first, last, codes in functions_of(path):
            got = {c for line, c in reported if first <= line <= last}
            for c in CATEGORIES:
                if c in got and c in codes:
                    table[c][0] += 1
                elif c in got:
                    table[c][1] += 1
                    if misses is not None:
                        misses.append(("FP", c, f"{path.name}:{first}"))
                elif c in codes:
                    table[c][2] += 1
                    if misses is not None:
                        misses.append(("FN", c, f"{path.name}:{first}"))
    return table


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tools", default="c2py,gcc,clang-tidy,cppcheck")
    parser.add_argument("--c2py", default=os.environ.get("C2PY_LSP", str(ROOT / "build" / "cflow" / "c2py-lsp")))
    parser.add_argument("--check", action="store_true", help="exit 1 unless c2py meets the targets")
    parser.add_argument("--write-baseline", action="store_true")
    parser.add_argument("--min-precision", type=float, default=0.95)
    parser.add_argument("--verbose", action="store_true", help="list each tool's false positives and misses")
    args = parser.parse_args()

    files = sorted(CORPUS.glob("*.c"))
    tools = {
        "c2py": lambda p: c2py(p, args.c2py),
        "gcc": gcc if shutil.which("gcc") else None,
        "clang-tidy": tidy if (shutil.which("clang-tidy-14") or shutil.which("clang-tidy")) else None,
        "cppcheck": cppcheck if shutil.which("cppcheck") else None,
    }
    wanted = [t for t in args.tools.split(",") if t]
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for tool in wanted:
            if tools.get(tool) is None:
                print(f"({tool} not installed: skipped)")
                continue
            futures = {path: pool.submit(tools[tool], path) for path in files}
            misses = []
            results[tool] = score(files, {path: f.result() for path, f in futures.items()}, misses)
            if args.verbose:
                for kind, category, where in misses:
                    print(f"{tool}: {kind} {category} {where}")

    labeled = {c: 0 for c in CATEGORIES}
    clean = 0
    for path in files:
        for _, _, codes in functions_of(path):
            clean += not codes
            for c in codes:
                labeled[c] += 1
    total = sum(len(functions_of(p)) for p in files)
    print(f"corpus: {len(files)} files, {total} functions, {clean} clean; per category: "
          + ", ".join(f"{c} {n}" for c, n in labeled.items()))
    header = f"{'category':<16}" + "".join(f"{t:>21}" for t in results)
    print(header)
    print(f"{'':<16}" + "".join(f"{'P    R    F1':>21}" for _ in results))
    for c in CATEGORIES + ["overall"]:
        row = f"{c:<16}"
        for tool, table in results.items():
            tp, fp, fn = (sum(v[i] for v in table.values()) for i in range(3)) if c == "overall" else table[c]
            p, r, f = prf(tp, fp, fn)
            row += f"{p:>11.2f}{r:>5.2f}{f:>5.2f}"
        print(row)
    print("(function level: TP/FP/FN counted per labeled function and category)")

    others = [t for t in results if t != "c2py"]
    if args.write_baseline and others:
        best = {c: max(prf(*results[t][c])[1] for t in others) for c in CATEGORIES}
        BASELINE.write_text(json.dumps({"best_other_recall": best, "tools": others}, indent=2) + "\n")
        print(f"wrote {BASELINE.relative_to(ROOT)}")

    if args.check:
        table = results["c2py"]
        ok = True
        tp, fp, fn = (sum(v[i] for v in table.values()) for i in range(3))
        precision = prf(tp, fp, fn)[0]
        if precision < args.min_precision:
            print(f"FAIL: overall precision {precision:.2f} < {args.min_precision}")
            ok = False
        floor = json.loads(BASELINE.read_text())["best_other_recall"] if BASELINE.exists() else {}
        for c in CATEGORIES:
            recall = prf(*table[c])[1]
            if recall + 1e-9 < floor.get(c, 0.0):
                print(f"FAIL: {c} recall {recall:.2f} < best other tool's {floor[c]:.2f}")
                ok = False
        print("targets met" if ok else "targets missed")
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
