#!/usr/bin/env python3
"""Precision, recall and F1 of c2py-lsp's C memory checks on NIST Juliet 1.3 (CWE 401, 415, 416,
590, 690, 761), side by side with gcc -fanalyzer, clang-tidy and cppcheck in the same run.

The corpus and its labels are in ../shared/corpora/juliet (see its README). Scoring, as the README
describes: one unit per (file, function group); a unit is found when any function of the group
holds a finding of the file's `scored` category; findings of other categories are not scored.
TP = a buggy unit found, FN = a buggy unit missed, FP = a clean unit with a finding. Per category
and micro-averaged over all. The tools do not share one leak code: in a file whose scored category
is realloc-leak, a memory-leak finding counts as realloc-leak (for every tool alike).

    bench/evaluate_juliet.py                           # c2py on every file, peers on a 150-file sample
    bench/evaluate_juliet.py --peer-limit 0            # peers on every file too (an hour or more)
    bench/evaluate_juliet.py --tools c2py --limit 150 --check --min-recall 0.6 --min-precision 0.95
    bench/evaluate_juliet.py --misses                  # list c2py's false positives and misses

c2py gets Juliet's include folder (`-I testcasesupport`), as the peers do; --no-includes leaves it
out. Samples are deterministic: files ordered by a hash of their path, the first N taken (a sample of
N is a subset of a sample of M > N). C2PY_LSP (or --c2py) names the binary.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The peers' messages mean the same on Juliet as on our own corpus: one mapping for both.
from evaluate_c import CPPCHECK_MAP, GCC_MAP, TIDY_CHECKS, prf, tidy_category  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(os.environ.get("C2PY_CORPORA", ROOT.parent / "shared" / "corpora")) / "juliet"
CATEGORIES = ["memory-leak", "double-free", "use-after-free", "realloc-leak", "unchecked-alloc", "free-non-heap"]
BATCH = 40  # files per c2py-lsp --check run


def sample(files, limit):
    ordered = sorted(files, key=lambda f: hashlib.sha1(f.encode()).hexdigest())
    return sorted(ordered[:limit]) if limit else sorted(files)


def run(cmd, cwd=None, timeout=120):
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None


# ---- tools: each maps a list of files to {file: [(line, category)]} ----

def c2py_batch(paths, binary, flags=()):
    """{path: [(line, code)]}, plus the paths whose run crashed. `flags`: -I/-D as Juliet's build has them."""
    out = run([binary, "--check", "--json", *flags, *map(str, paths)], timeout=600)
    if out is None or out.returncode not in (0, 1) or not out.stdout.strip():
        if len(paths) == 1:
            return {}, [paths[0]]
        found, crashed = {}, []
        for p in paths:
            f, c = c2py_batch([p], binary, flags)
            found.update(f)
            crashed += c
        return found, crashed
    data = json.loads(out.stdout)
    found = {}
    for file in data["files"]:
        path = Path(file["path"]).resolve()
        found[path] = [(d["range"]["start"]["line"] + 1, d["code"]) for d in file["diagnostics"]
                       if d.get("source") == "c2py" and d.get("code") in CATEGORIES]
    return found, []


def gcc(path, support):
    out = run(["gcc", "-fanalyzer", "-I", str(support), "-c", str(path), "-o", os.devnull])
    if out is None:
        return None
    found = []
    for m in re.finditer(r"^(.*?):(\d+):\d+: warning: .*\[(-W[a-z-]+)\]$", out.stderr, re.M):
        if Path(m.group(1)).name == path.name and m.group(3) in GCC_MAP:
            found.append((int(m.group(2)), GCC_MAP[m.group(3)]))
    return found


def tidy(path, support):
    binary = shutil.which("clang-tidy-14") or shutil.which("clang-tidy")
    out = run([binary, f"-checks={TIDY_CHECKS}", str(path), "--", "-I", str(support)])
    if out is None:
        return None
    found = []
    for m in re.finditer(r"^(.*?):(\d+):\d+: warning: (.*) \[([\w.,-]+)\]$", out.stdout, re.M):
        if Path(m.group(1)).name != path.name:
            continue
        category = tidy_category(m.group(4), m.group(3))
        if category:
            found.append((int(m.group(2)), category))
    return found


def cppcheck(path, support):
    out = run(["cppcheck", "--enable=warning", "--inconclusive", "--quiet", "--template={line}:{id}:{message}",
               str(path)])
    if out is None:
        return None
    return [(int(m.group(1)), CPPCHECK_MAP[m.group(2)]) for m in re.finditer(r"^(\d+):(\w+):", out.stderr, re.M)
            if CPPCHECK_MAP.get(m.group(2))]


PEERS = {"gcc": (gcc, lambda: shutil.which("gcc")),
         "clang-tidy": (tidy, lambda: shutil.which("clang-tidy-14") or shutil.which("clang-tidy")),
         "cppcheck": (cppcheck, lambda: shutil.which("cppcheck"))}


# ---- scoring ----

def units_of(functions):
    """{group: (first_line, last_line) list, buggy categories, scored category}."""
    units = {}
    for fn in functions.values():
        u = units.setdefault(fn["group"], {"ranges": [], "bugs": set(), "scored": set()})
        u["ranges"].append(tuple(fn["range"]))
        u["bugs"].update(fn["categories"])
        u["scored"].update(fn["scored"])
    return units


def score(labels, files, findings, misses=None):
    """{category: [tp, fp, fn]} and {cwe: [tp, fp, fn]} over `files` (relative paths)."""
    table = {c: [0, 0, 0] for c in CATEGORIES}
    by_cwe = {}
    for rel in files:
        reported = findings.get(rel, [])
        cwe = rel.split("/")[1].split("_")[0]
        row = by_cwe.setdefault(cwe, [0, 0, 0])
        for group, u in units_of(labels[rel]).items():
            for c in u["scored"]:
                def counts(code):
                    return code == c or (c == "realloc-leak" and code == "memory-leak")
                got = any(counts(code) and any(a <= line <= b for a, b in u["ranges"]) for line, code in reported)
                buggy = c in u["bugs"]
                k = 0 if got and buggy else 1 if got else 2 if buggy else None
                if k is None:
                    continue
                table[c][k] += 1
                row[k] += 1
                if misses is not None and k:
                    misses.append(("FP" if k == 1 else "FN", c, f"{rel}:{min(a for a, _ in u['ranges'])} {group}"))
    return table, by_cwe


def total(table):
    return [sum(v[i] for v in table.values()) for i in range(3)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--tools", default="c2py,gcc,clang-tidy,cppcheck")
    parser.add_argument("--c2py", default=os.environ.get("C2PY_LSP", str(ROOT / "build" / "release" / "c2py-lsp")))
    parser.add_argument("--limit", type=int, default=0, help="c2py on a deterministic sample of N files (0: all)")
    parser.add_argument("--peer-limit", type=int, default=150, help="the peers on the first N of that sample (0: all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--check", action="store_true", help="exit 1 below the floors, on any crash, or if the corpus lacks")
    parser.add_argument("--min-precision", type=float, default=0.95)
    parser.add_argument("--min-recall", type=float, default=0.0)
    parser.add_argument("--misses", action="store_true", help="list c2py's false positives and misses")
    parser.add_argument("--no-includes", action="store_true",
                        help="c2py without Juliet's include folder (the file alone, as before issue 11's headers)")
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--peer-cache", help="the peers' findings per file: read from and added to this JSON "
                                             "file (the peers do not change between runs)")
    args = parser.parse_args()

    corpus = Path(args.corpus)
    if not (corpus / "labels.json").exists():
        print(f"no Juliet corpus at {corpus}: skipped")
        return 77 if args.check else 0
    labels = json.loads((corpus / "labels.json").read_text())
    files = sample(list(labels), args.limit)
    peer_files = sample(files, args.peer_limit) if args.peer_limit else files
    support = corpus / "testcasesupport"
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]

    results = {}  # tool → (files, findings, seconds, failures)
    cache = json.loads(Path(args.peer_cache).read_text()) if args.peer_cache and Path(args.peer_cache).exists() else {}
    if "c2py" in tools:
        start = time.time()
        found, crashed = {}, []
        paths = [corpus / f for f in files]
        batches = [paths[i:i + BATCH] for i in range(0, len(paths), BATCH)]
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            # Juliet's build: `-I testcasesupport` (its README), as the peers get it.
            flags = () if args.no_includes else ("-I", str(support))
            for f, c in pool.map(lambda b: c2py_batch(b, args.c2py, flags), batches):
                found.update(f)
                crashed += c
        findings = {str(p.relative_to(corpus.resolve())): v for p, v in found.items()}
        results["c2py"] = (files, findings, time.time() - start, [str(c) for c in crashed])
    for name in tools:
        if name == "c2py":
            continue
        fn, available = PEERS[name]
        if not available():
            print(f"{name}: not installed, skipped", file=sys.stderr)
            continue
        start = time.time()
        known = cache.setdefault(name, {})
        todo = [f for f in peer_files if f not in known]
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            outs = list(pool.map(lambda f: fn(corpus / f, support), todo))
        for f, o in zip(todo, outs):
            if o is not None:
                known[f] = [list(x) for x in o]
        findings = {f: [tuple(x) for x in known[f]] for f in peer_files if f in known}
        failures = [f for f, o in zip(todo, outs) if o is None]
        results[name] = (peer_files, findings, time.time() - start, failures)
    if args.peer_cache and cache:
        Path(args.peer_cache).write_text(json.dumps(cache))

    print(f"Juliet 1.3: c2py on {len(files)} files, peers on {len(peer_files)} (the first of the same sample)")
    figures = {}
    for name, (fs, findings, seconds, failures) in results.items():
        misses = [] if (args.misses and name == "c2py") else None
        table, by_cwe = score(labels, fs, findings, misses)
        figures[name] = {"files": len(fs), "seconds": round(seconds, 1), "failures": failures,
                         "categories": table, "cwe": by_cwe, "overall": total(table)}
        if misses:
            for m in sorted(misses):
                print(" ".join(m))
    # The peers' rows again on c2py's own sample when it differs, so each row compares like with like.
    if "c2py" in results and results["c2py"][0] != peer_files:
        table, by_cwe = score(labels, peer_files, results["c2py"][1])
        figures["c2py (peer sample)"] = {"files": len(peer_files), "categories": table, "cwe": by_cwe,
                                         "overall": total(table)}
    names = list(figures)
    header = f"{'':16}" + "".join(f"{n:>22}" for n in names)
    print(header)
    print(f"{'':16}" + "".join(f"{'P    R    F1  (units)':>22}" for _ in names))

    def line(label, get):
        cells = []
        for n in names:
            tp, fp, fn = get(figures[n])
            cells.append(f"{'%.2f %.2f %.2f (%d)' % (*prf(tp, fp, fn), tp + fn):>22}" if tp + fp + fn else f"{'-':>22}")
        print(f"{label:16}" + "".join(cells))

    for c in CATEGORIES:
        line(c, lambda fig, c=c: fig["categories"][c])
    for cwe in sorted({k for fig in figures.values() for k in fig["cwe"]}):
        line(cwe, lambda fig, cwe=cwe: fig["cwe"].get(cwe, [0, 0, 0]))
    line("overall", lambda fig: fig["overall"])
    for n in names:
        fig = figures[n]
        if "seconds" in fig:
            print(f"{n}: {fig['files']} files in {fig['seconds']} s, {len(fig['failures'])} crashed or timed out"
                  + (f": {fig['failures'][:5]}" if fig["failures"] else ""))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))

    if args.check and "c2py" in figures:
        p, r, _ = prf(*figures["c2py"]["overall"])
        ok = p >= args.min_precision and r >= args.min_recall and not figures["c2py"]["failures"]
        print(f"c2py: precision {p:.3f} (floor {args.min_precision}), recall {r:.3f} (floor {args.min_recall}), "
              f"{len(figures['c2py']['failures'])} crashes: {'ok' if ok else 'FAILED'}")
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
