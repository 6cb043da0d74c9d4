#!/usr/bin/env python3
"""The differential oracle: real programs run under each installed CPython 3.11–3.13 with a
tracer (tracer.py) that records, after the first execution of each simple statement, every
visible name's object; the runtime model's c2py/heapSnapshot at the same line must agree.

    differential.py [--list FILE] [--root DIR] [PROGRAM...] [--json OUT] [-v]
    differential.py --select --root DIR [--limit N]   # print the programs fit to run

A probe is one (line, name). It is complete when the model shows the name's object with a size
(an object it knows); then every field the model gives must equal CPython's: type, size, len,
the total count (refcount + interpreterRefs against sys.getrefcount, calibrated), the program's
count (refcount, against the tracer's count of the program's references), and aliasing (two
names are one object in CPython exactly when they are in the model). A name the model shows
bound with a size where CPython has it unbound disagrees too.

The run is bounded by work, not time: the tracer stops recording after a number of trace
events, the model after model.maxSteps; the timeouts below only guard against a hang.
Exit status 1 when a complete probe disagrees (or a tracer self-test fails).
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "protocol"))
sys.path.insert(0, HERE)

from oracle import interpreters  # noqa: E402

HANG_GUARD = 900  # seconds: never reached by a healthy run; bounds a hung child
INCOMPLETE, NOT_REACHED, NOT_SHOWN, UNKNOWN = {}, {}, {}, {}  # why probes are incomplete (all runs)
FIELDS = ("type", "size", "length", "total", "program", "aliasing", "bound")


def trace(python, path):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        proc = subprocess.run([python, os.path.join(HERE, "tracer.py"), path, out], capture_output=True, text=True,
                              timeout=HANG_GUARD, cwd=os.path.dirname(path), stdin=subprocess.DEVNULL)
        if not os.path.exists(out):
            return None, proc.stderr[-500:]
        with open(out) as f:
            return json.load(f), None


def compare_line(cp, snap, reasons=None):
    """(probes, complete, agree per field, disagreements) for one line."""
    by_name = {}
    for o in snap.get("objects", []):
        for n in o["names"]:
            by_name[n] = o
    agree = dict.fromkeys(FIELDS, 0)
    checked = dict.fromkeys(FIELDS, 0)
    problems = []
    probes = complete = 0
    groups_cp, groups_model = {}, {}

    def check(field, ok, text):
        checked[field] += 1
        if ok:
            agree[field] += 1
        else:
            problems.append(text)
    reached = bool(snap.get("objects")) or snap.get("complete")
    for name, rec in cp.items():
        probes += 1
        model = by_name.get(name)
        if model is None or model.get("size") is None:
            # Incomplete: the model did not reach the line, does not show the name, or does not
            # know its object.
            why = "line not reached" if not reached else "name not shown" if model is None else "object unknown"
            INCOMPLETE[why] = INCOMPLETE.get(why, 0) + 1
            if why == "line not reached":
                r = (snap.get("reason") or "")[:260]
                NOT_REACHED[r] = NOT_REACHED.get(r, 0) + 1
                if reasons is not None:
                    reasons[r] = reasons.get(r, 0) + 1
            elif why == "name not shown":
                NOT_SHOWN[rec["type"]] = NOT_SHOWN.get(rec["type"], 0) + 1
            else:
                UNKNOWN[rec["type"]] = UNKNOWN.get(rec["type"], 0) + 1
            continue
        complete += 1
        check("type", model["type"] == rec["type"], "%s: type %s, model %s" % (name, rec["type"], model["type"]))
        if model["type"] != rec["type"]:
            continue
        check("size", model["size"] == rec["size"], "%s: size %s, model %s" % (name, rec["size"], model["size"]))
        if model.get("length") is not None and "length" in rec:
            check("length", model["length"] == rec["length"], "%s: len %s, model %s" % (name, rec["length"], model["length"]))
        if model.get("refcount") is not None:
            if model.get("interpreterRefs") is not None:  # null: the interpreter's count is unknown
                total = model["refcount"] + model["interpreterRefs"]
                check("total", total == rec["total"], "%s: sys.getrefcount %d, model %d" % (name, rec["total"], total))
            if "program" in rec:
                check("program", model["refcount"] == rec["program"],
                      "%s: program refs %d, model %d" % (name, rec["program"], model["refcount"]))
            groups_cp.setdefault(rec["id"], set()).add(name)
            groups_model.setdefault(model["id"], set()).add(name)
    # Names the model shows bound (and known) where CPython has them unbound.
    for name, model in by_name.items():
        if name not in cp and model.get("size") is not None and model.get("refcount") is not None:
            if not name.startswith("__"):
                check("bound", False, "%s: unbound in CPython, a %s in the model" % (name, model["type"]))
    if groups_cp or groups_model:
        cp_sets = sorted(sorted(s) for s in groups_cp.values())
        model_sets = sorted(sorted(s) for s in groups_model.values())
        check("aliasing", cp_sets == model_sets, "aliasing %s, model %s" % (cp_sets, model_sets))
    return probes, complete, agree, checked, problems


def run_interpreter(full, python, programs, lsp, verbose):
    from lsp_client import LspClient
    version = ".".join(full.split(".")[:2])
    report = {"python": full, "programs": [], "selftest": None}
    st = subprocess.run([python, os.path.join(HERE, "tracer.py"), "--selftest"], capture_output=True, text=True,
                        timeout=HANG_GUARD)
    report["selftest"] = st.returncode == 0
    if st.returncode != 0:
        report["selftest_output"] = st.stdout + st.stderr
        return report
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        traces = dict(zip(programs, pool.map(lambda p: trace(python, p), programs)))
    client = LspClient()
    client.initialize(options={"pythonVersion": version})
    try:
        for index, path in enumerate(programs):
            data, err = traces[path]
            entry = {"program": path, "lines": 0, "probes": 0, "complete": 0,
                     "agree": dict.fromkeys(FIELDS, 0), "checked": dict.fromkeys(FIELDS, 0), "disagreements": [],
                     "not_reached": {}}  # probes on lines the model did not reach, by its reason
            if data is None:
                entry["error"] = "the tracer failed: " + (err or "")
                report["programs"].append(entry)
                continue
            entry["status"] = data["status"]
            entry["foreign_lines"] = len(data.get("foreign_lines", []))
            with open(path) as f:
                source = f.read()
            lines_text = source.splitlines()
            uri = "file:///differential/%d/%s" % (index, os.path.basename(path))
            client.open(uri, "python", source)
            for line_s, cp in sorted(data["records"].items(), key=lambda kv: int(kv[0])):
                line = int(line_s)
                entry["lines"] += 1
                snap = client.result("c2py/heapSnapshot", {"textDocument": {"uri": uri},
                                                           "position": {"line": line - 1, "character": 0}},
                                     timeout=HANG_GUARD)
                probes, complete, agree, checked, problems = compare_line(cp, snap, entry["not_reached"])
                entry["probes"] += probes
                entry["complete"] += complete
                for k in FIELDS:
                    entry["agree"][k] += agree[k]
                    entry["checked"][k] += checked[k]
                for p in problems:
                    text = lines_text[line - 1].strip() if line - 1 < len(lines_text) else ""
                    entry["disagreements"].append("%s:%d: %s    | %s" % (os.path.basename(path), line, p, text[:80]))
            client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            report["programs"].append(entry)
        client.shutdown_and_exit()
    finally:
        client.close()
    return report


def summarize(report, verbose):
    out = []
    tot = {"lines": 0, "probes": 0, "complete": 0}
    foreign = sum(e.get("foreign_lines", 0) for e in report["programs"])
    agree = dict.fromkeys(FIELDS, 0)
    checked = dict.fromkeys(FIELDS, 0)
    disagreements = []
    if not report["selftest"]:
        return ["CPython %s: tracer self-test FAILED:\n%s" % (report["python"], report.get("selftest_output", ""))], False
    for e in report["programs"]:
        for k in tot:
            tot[k] += e[k]
        for k in FIELDS:
            agree[k] += e["agree"][k]
            checked[k] += e["checked"][k]
        disagreements += e["disagreements"]
        if verbose:
            out.append("  %-50s lines %4d probes %5d complete %5d%s%s" % (
                os.path.basename(e["program"]), e["lines"], e["probes"], e["complete"],
                "" if not e["disagreements"] else "  DISAGREE %d" % len(e["disagreements"]),
                "  (%s)" % e["error"][:60] if "error" in e else ""))
    pct = 100.0 * tot["complete"] / tot["probes"] if tot["probes"] else 0.0
    fields = ", ".join("%s %d/%d" % (k, agree[k], checked[k]) for k in FIELDS if checked[k])
    out.insert(0, "CPython %s: %d programs, %d lines, %d probes, %d complete (%.1f%%); agreement: %s; "
               "%d more lines run only by doctest or other library code, not probed" % (
                   report["python"], len(report["programs"]), tot["lines"], tot["probes"], tot["complete"], pct, fields,
                   foreign))
    out.extend("  DISAGREE " + d for d in disagreements[:200])
    return out, not disagreements


def select(root, limit, python):
    """Programs that run deterministically, within a second of CPU, with the standard library."""
    import resource
    chosen = []
    for dirpath, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if not name.endswith(".py") or name.startswith("test_") or name == "__init__.py":
                continue
            path = os.path.join(dirpath, name)
            outs = []
            ok = True
            for _ in range(2):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                try:
                    proc = subprocess.run([python, path], capture_output=True, text=True, timeout=10,
                                          cwd=dirpath, stdin=subprocess.DEVNULL)
                except subprocess.TimeoutExpired:
                    ok = False
                    break
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                if proc.returncode != 0 or cpu > 1.0:
                    ok = False
                    break
                outs.append(proc.stdout)
            if ok and outs[0] == outs[1]:
                chosen.append(os.path.relpath(path, root))
                if limit and len(chosen) >= limit:
                    return chosen
    return chosen


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("programs", nargs="*")
    parser.add_argument("--list", help="a file of program paths relative to --root")
    parser.add_argument("--root", default=os.path.join(HERE, "..", "..", "..", "shared", "corpora", "real-python"))
    parser.add_argument("--select", action="store_true")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--floor", type=float, default=0.0,
                        help="fail when fewer probes than this percentage are complete (a recorded floor)")
    parser.add_argument("--json")
    parser.add_argument("--python", action="append", help="only these versions (3.11, 3.12.1, ...)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    found = interpreters()
    if not found:
        print("no CPython 3.11–3.13 found")
        return 1
    if args.python:
        found = {k: v for k, v in found.items() if any(k == p or k.startswith(p + ".") for p in args.python)}
    if args.select:
        python = found[sorted(found)[0]]
        for p in select(root, args.limit, python):
            print(p)
        return 0
    programs = [os.path.abspath(p) for p in args.programs]
    if args.list:
        if not os.path.isdir(root):
            print("corpus not found (%s): skipped" % root)
            return 0
        with open(args.list) as f:
            programs += [os.path.join(root, line.strip()) for line in f if line.strip() and not line.startswith("#")]
    programs = [p for p in programs if os.path.isfile(p)]
    lsp = os.environ.get("C2PY_LSP")
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(found)) as pool:
        reports = list(pool.map(lambda item: run_interpreter(item[0], item[1], programs, lsp, args.verbose),
                                sorted(found.items())))
    ok = True
    for r in reports:
        lines, good = summarize(r, args.verbose)
        print("\n".join(lines))
        ok = ok and good
        probes = sum(e["probes"] for e in r["programs"])
        complete = sum(e["complete"] for e in r["programs"])
        if probes and 100.0 * complete / probes < args.floor:
            print("  below the floor: %.1f%% of probes complete, floor %.1f%%" % (100.0 * complete / probes, args.floor))
            ok = False
    if args.verbose:
        print("incomplete probes (all interpreters):", INCOMPLETE)
        for title, table in (("lines not reached, by the model's reason", NOT_REACHED),
                             ("names not shown, by CPython type", NOT_SHOWN), ("objects unknown, by type", UNKNOWN)):
            print("  " + title + ":")
            for k, v in sorted(table.items(), key=lambda kv: -kv[1])[:40]:
                print("    %6d  %s" % (v, k))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(reports, f, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
