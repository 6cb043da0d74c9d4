#!/usr/bin/env python3
"""c2py-lsp's C memory checks on real projects nobody here wrote (../shared/corpora/real-c: cJSON,
sds, jq, tmux), against the judgments in tests/corpus/real_c_judgments.json.

Prints files, lines, CPU seconds, lines per CPU-second, peak RSS, crashes, files with parse errors,
functions skipped by the dataflow (with the reason, from bench c2py_c_flow_stats when built), the
findings per code, and per code: judged true / judged false / not yet judged, precision over the
judged ones. Every bug finding should be judged; new ones are listed for judging.

    bench/evaluate_real_c.py                          # the whole corpus
    bench/evaluate_real_c.py --files tmux/cmd.c ...   # a slice (paths relative to real-c/)
    bench/evaluate_real_c.py --check                  # exit 1 if a judged false positive comes
                                                      # back, a file crashes, or skipped functions
                                                      # rise above --max-skipped
    bench/evaluate_real_c.py --unjudged out.json      # write the unjudged findings as stubs

C2PY_LSP (or --c2py) names the binary; C2PY_FLOW_STATS (or --stats) the stats tool.
"""
import argparse
import collections
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(os.environ.get("C2PY_CORPORA", ROOT.parent / "shared" / "corpora")) / "real-c"
JUDGMENTS = ROOT / "tests" / "corpus" / "real_c_judgments.json"
CODES = ["memory-leak", "double-free", "use-after-free", "realloc-leak", "unchecked-alloc", "free-non-heap"]
BATCH = 25
HEADER = re.compile(r"^(?:[A-Za-z_][\w \t\*]*?[\s\*])?([A-Za-z_]\w*)\s*\([^;]*$")


def function_at(lines, line):
    """The name of the function around 1-based `line` (the nearest definition header above)."""
    for k in range(line - 1, -1, -1):
        text = lines[k]
        if text[:1].isalpha() or text[:1] == "_":
            m = HEADER.match(text)
            if m and m.group(1) not in ("if", "while", "for", "switch", "return", "sizeof"):
                return m.group(1)
    return ""


def run_batch(binary, corpus, files, timeout):
    """{file: [finding]}, [crashed files], syntax-error files."""
    try:
        out = subprocess.run([binary, "--check", "--json", *(str(Path(corpus).resolve() / f) for f in files)],
                             capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        out = None
    if out is None or out.returncode not in (0, 1) or not out.stdout.strip():
        if len(files) == 1:
            return {}, files, []
        found, crashed, errors = {}, [], []
        for f in files:
            a, b, c = run_batch(binary, corpus, [f], timeout)
            found.update(a)
            crashed += b
            errors += c
        return found, crashed, errors
    data = json.loads(out.stdout)
    found, errors = {}, []
    for file in data["files"]:
        rel = os.path.relpath(Path(file["path"]).resolve(), Path(corpus).resolve())
        if file.get("syntaxErrors"):
            errors.append(rel)
        found[rel] = [{"line": d["range"]["start"]["line"] + 1, "code": d["code"], "message": d["message"]}
                      for d in file["diagnostics"] if d.get("source") == "c2py" and d.get("code") in CODES]
    return found, [], errors


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--c2py", default=os.environ.get("C2PY_LSP", str(ROOT / "build" / "release" / "c2py-lsp")))
    parser.add_argument("--stats", default=os.environ.get("C2PY_FLOW_STATS",
                                                          str(ROOT / "build" / "release" / "bench" / "c2py_c_flow_stats")))
    parser.add_argument("--files", nargs="*", help="a slice of the corpus, relative to it")
    parser.add_argument("--judgments", default=str(JUDGMENTS))
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--max-skipped", type=int, default=None, help="--check: most functions skipped in the slice")
    parser.add_argument("--unjudged", help="write the findings not yet judged here, as stubs to fill in")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per batch of files")
    args = parser.parse_args()

    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"no real-c corpus at {corpus}: skipped")
        return 77 if args.check else 0
    files = args.files or sorted(str(p.relative_to(corpus)) for p in corpus.rglob("*") if p.suffix in (".c", ".h"))
    lines = sum(len((corpus / f).read_bytes().splitlines()) for f in files)

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.time()
    findings, crashed, errors = {}, [], []
    for i in range(0, len(files), BATCH):
        a, b, c = run_batch(args.c2py, corpus, files[i:i + BATCH], args.timeout)
        findings.update(a)
        crashed += b
        errors += c
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"real-c: {len(files)} files, {lines} lines, {cpu:.1f} CPU s ({lines / max(cpu, 1e-9):.0f} lines/CPU s), "
          f"wall {time.time() - wall:.1f} s, peak RSS {after.ru_maxrss / 1024:.0f} MB")
    print(f"crashes: {len(crashed)} {crashed[:5] if crashed else ''}")
    print(f"files with parse errors: {len(errors)}")

    skipped_total = None
    if Path(args.stats).exists():
        reasons = collections.Counter()
        functions = 0
        worst = (0.0, "")
        for i in range(0, len(files), BATCH):
            out = subprocess.run([args.stats, *files[i:i + BATCH]], cwd=corpus, capture_output=True, text=True,
                                 timeout=args.timeout)
            for row in map(json.loads, out.stdout.splitlines()):
                functions += row["functions"]
                reasons.update(row["skipped"])
                if row["max_ms"] > worst[0]:
                    worst = (row["max_ms"], f"{row['file']} {row['costliest']}")
        skipped_total = sum(reasons.values())
        print(f"functions: {functions}, skipped {skipped_total} ({100 * skipped_total / max(functions, 1):.1f}%): "
              + ", ".join(f"{r} {n}" for r, n in reasons.most_common()))
        print(f"costliest function: {worst[0]:.1f} ms CPU ({worst[1]})")
    else:
        print(f"({args.stats} not built: no per-function figures)")

    judged = {}
    if Path(args.judgments).exists():
        for j in json.loads(Path(args.judgments).read_text())["judgments"]:
            judged[(j["file"], j["line"], j["code"])] = j
    per_code = {c: [0, 0, 0] for c in CODES}  # true, false, unjudged
    unjudged, false_back = [], []
    for f in files:
        text = (corpus / f).read_text(errors="replace").splitlines()
        for d in findings.get(f, []):
            j = judged.get((f, d["line"], d["code"]))
            if j is None:
                per_code[d["code"]][2] += 1
                unjudged.append({"file": f, "function": function_at(text, d["line"]), "line": d["line"],
                                 "code": d["code"], "verdict": None, "reason": "", "message": d["message"]})
            elif j["verdict"]:
                per_code[d["code"]][0] += 1
            else:
                per_code[d["code"]][1] += 1
                false_back.append(j)
    print(f"{'code':18}{'findings':>9}{'true':>6}{'false':>6}{'unjudged':>9}{'precision':>10}")
    for c in CODES:
        t, fa, u = per_code[c]
        p = f"{t / (t + fa):.2f}" if t + fa else "-"
        print(f"{c:18}{t + fa + u:>9}{t:>6}{fa:>6}{u:>9}{p:>10}")
    t = sum(v[0] for v in per_code.values())
    fa = sum(v[1] for v in per_code.values())
    print(f"{'all':18}{t + fa + sum(v[2] for v in per_code.values()):>9}{t:>6}{fa:>6}"
          f"{sum(v[2] for v in per_code.values()):>9}{(f'{t / (t + fa):.2f}' if t + fa else '-'):>10}")
    for j in false_back:
        print(f"judged false, still reported: {j['file']}:{j['line']} {j['code']} ({j['reason']})")
    for u in unjudged:
        print(f"unjudged: {u['file']}:{u['line']} {u['code']} in {u['function']}: {u['message'][:110]}")
    if args.unjudged:
        Path(args.unjudged).write_text(json.dumps(unjudged, indent=1) + "\n")

    if args.check:
        failed = []
        if crashed:
            failed.append(f"{len(crashed)} crashes")
        if false_back:
            failed.append(f"{len(false_back)} judged false positives came back")
        if args.max_skipped is not None and skipped_total is not None and skipped_total > args.max_skipped:
            failed.append(f"{skipped_total} functions skipped (at most {args.max_skipped})")
        print("check: " + ("; ".join(failed) if failed else "ok"))
        return 1 if failed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
