#!/usr/bin/env python3
"""The runtime model checked against the real CPython.

Each program in programs/ marks lines with a trailing `#@`. The harness runs an instrumented copy
of the program with every CPython 3.11+ it finds: after each marked statement it inserts probes
that record, for every name of that scope, the object's identity, type, reference count
(`sys.getrefcount(x) - 1`, evaluated inline: no tracer and no frame dictionaries, so the only
extra reference is getrefcount's own argument, which the -1 removes; a calibration program checks
that at start), `sys.getsizeof`, `len`, and for weak-referenceable objects whether the object
tagged at an earlier probe is still alive. Then it asks the real server (c2py-lsp, with
`pythonVersion` set to that interpreter's version) for `c2py/heapSnapshot` at the same lines and
compares. Only the first execution of a marked line counts, as in the contract.

Targets (issue 5): every probe the model marks complete agrees; at least 95% of probes complete.
Exit status 1 when a target is missed.
"""
import argparse
import ast
import concurrent.futures
import glob
import json
import os
import subprocess
import sys
import symtable
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# Timeouts only guard against a hang: the work is bounded (programs and probes are fixed, the
# model by model.maxSteps), so a loaded machine makes the run slower, never a failure.
HANG_GUARD = 900
sys.path.insert(0, os.path.join(HERE, "..", "protocol"))

PROBE_RUNTIME = r'''
import sys as _c2py_sys, weakref as _c2py_weakref, atexit as _c2py_atexit, json as _c2py_json
_c2py_records = {}
_c2py_tags = {}
_c2py_freed = set()
_c2py_done = set()
def _c2py_grc(x):
    return _c2py_sys.getrefcount(x)
def _c2py_begin(line):
    if line in _c2py_done:
        return False
    _c2py_records.setdefault(line, {"names": {}, "alive": {}})
    return True
def _c2py_rc(line, name, rc, obj):
    if line in _c2py_done:
        return
    rec = {"bound": True, "id": id(obj), "type": type(obj).__name__, "refcount": rc - 2,
           "size": _c2py_sys.getsizeof(obj)}
    try:
        if isinstance(obj, (list, tuple, dict, set, frozenset, str, bytes, bytearray)) or type(obj).__name__ == "array":
            rec["length"] = len(obj)
    except Exception:
        pass
    _c2py_records[line]["names"][name] = rec
    tag = "%d:%s" % (line, name)
    if type(obj).__module__ != "builtins" or isinstance(obj, set):
        try:
            if all(t.split(":", 1)[0] != str(id(obj)) for t in _c2py_tags.values()):
                _c2py_tags[tag] = "%d:%d" % (id(obj), line)
                # The weak reference must itself stay alive for its callback to run.
                _c2py_keep.append(_c2py_weakref.ref(obj, lambda _r, tag=tag: _c2py_freed.add(tag)))
        except TypeError:
            pass
def _c2py_un(line, name):
    if line in _c2py_done:
        return
    _c2py_records[line]["names"][name] = {"bound": False}
def _c2py_end(line):
    if line in _c2py_done:
        return
    rec = _c2py_records[line]
    for tag in _c2py_tags:
        rec["alive"][tag] = tag not in _c2py_freed
    _c2py_done.add(line)
_c2py_keep = []
@_c2py_atexit.register
def _c2py_dump():
    with open(_c2py_sys.argv[1], "w") as f:
        _c2py_json.dump(_c2py_records, f)
'''
# rc - 2 above: _c2py_grc(x) runs before _c2py_rc is called; while it runs, the object has two
# references more than the program's: grc's parameter x and getrefcount's argument. The
# calibration program below checks the constant under each interpreter.

CALIBRATION = """x = []  #@
def f():
    y = [1, 2]  #@
    return 0
f()
"""


def marked_lines(source):
    return [i + 1 for i, line in enumerate(source.splitlines()) if line.rstrip().endswith("#@") or "#@ " in line]


def scope_names(source, filename):
    """For each line: the names a probe there records (locals of the enclosing scope, the free
    variables it reads, and module globals), excluding modules, classes and the harness's own."""
    table = symtable.symtable(source, filename, "exec")
    scopes = []

    def visit(t):
        scopes.append(t)
        for child in t.get_children():
            visit(child)
    visit(table)
    return table, scopes


# CPython 3.11's parser keeps its recursion count per interpreter, not per thread: ast.parse,
# symtable and compile running at once in two threads can fail with "AST constructor recursion
# depth mismatch" (a SystemError). The programs are instrumented one at a time.
PARSER_LOCK = threading.Lock()


def instrument(source, filename):
    with PARSER_LOCK:
        return instrument_unlocked(source, filename)


def instrument_unlocked(source, filename):
    tree = ast.parse(source)
    lines = source.splitlines()
    marks = set(marked_lines(source))
    table = symtable.symtable(source, filename, "exec")
    module_names = sorted(s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported())

    # Which function (if any) encloses each statement, and its symbol table.
    def find_table(t, name, lineno):
        for child in t.get_children():
            if child.get_type() == "function" and child.get_name() == name and child.get_lineno() == lineno:
                return child
            found = find_table(child, name, lineno)
            if found:
                return found
        return None

    inserts = {}  # after line → list of lines
    probes = []

    def walk(body, func_table, in_class, enclosing=frozenset()):
        for stmt in body:
            if stmt.lineno in marks:
                if isinstance(stmt, (ast.If, ast.For, ast.While, ast.With, ast.Try, ast.FunctionDef,
                                     ast.ClassDef, ast.Return, ast.Break, ast.Continue)):
                    raise SystemExit("%s:%d: mark simple statements only" % (filename, stmt.lineno))
                names = []
                if func_table is not None:
                    for s in func_table.get_symbols():
                        if s.is_local() or s.is_free() or s.is_parameter():
                            names.append(s.get_name())
                    own = set(names)
                    # A name local to an enclosing function must not be read here: that would
                    # make it a closure cell and change the counts being measured.
                    names += [n for n in module_names if n not in own and n not in enclosing]
                else:
                    names = list(module_names)
                names = [n for n in dict.fromkeys(names) if not n.startswith("_c2py")]
                indent = " " * stmt.col_offset
                code = [indent + "if _c2py_begin(%d):" % stmt.lineno]
                for n in names:
                    code.append(indent + "    try: _c2py_rc(%d, %r, _c2py_grc(%s), %s)" % (stmt.lineno, n, n, n))
                    code.append(indent + "    except NameError: _c2py_un(%d, %r)" % (stmt.lineno, n))
                code.append(indent + "    _c2py_end(%d)" % stmt.lineno)
                inserts.setdefault(stmt.end_lineno, []).extend(code)
                probes.append(stmt.lineno)
            for field in ("body", "orelse", "finalbody"):
                sub = getattr(stmt, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], ast.stmt):
                    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and field == "body":
                        inner = find_table(table, stmt.name, stmt.lineno)
                        outer = enclosing
                        if func_table is not None:
                            outer = enclosing | {s.get_name() for s in func_table.get_symbols() if s.is_local()}
                        walk(sub, inner, False, outer)
                    elif isinstance(stmt, ast.ClassDef):
                        walk(sub, None, True, enclosing)
                    else:
                        walk(sub, func_table, in_class, enclosing)
            for handler in getattr(stmt, "handlers", []) or []:
                walk(handler.body, func_table, in_class, enclosing)

    walk(tree.body, None, False)
    out = [PROBE_RUNTIME]
    for i, line in enumerate(lines, start=1):
        out.append(line)
        out.extend(inserts.get(i, []))
    # Keep the user's line numbers: the probe runtime is one physical line per line above, so
    # line numbers shift; probes carry the original line numbers explicitly.
    return "\n".join(out) + "\n", probes


def run_cpython(python, source, filename):
    code, probes = instrument(source, filename)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "prog.py")
        out = os.path.join(tmp, "out.json")
        with open(path, "w") as f:
            f.write(code)
        proc = subprocess.run([python, path, out], capture_output=True, text=True, timeout=HANG_GUARD)
        if proc.returncode != 0:
            raise RuntimeError("%s failed under %s:\n%s" % (filename, python, proc.stderr[-2000:]))
        with open(out) as f:
            records = json.load(f)
    return probes, {int(k): v for k, v in records.items()}


def interpreters():
    found = {}
    candidates = sorted(set(glob.glob("/usr/bin/python3.*") + glob.glob("/usr/local/bin/python3.*") +
                            glob.glob("/root/.pyenv/versions/*/bin/python3") + [sys.executable]))
    for path in candidates:
        if not os.path.isfile(path) or not os.access(path, os.X_OK) or path.endswith("-config"):
            continue
        try:
            out = subprocess.run([path, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3], sys.implementation.name, sys.maxsize > 2**32)"],
                                 capture_output=True, text=True, timeout=10).stdout.split()
        except Exception:
            continue
        if len(out) != 3 or out[1] != "cpython" or out[2] != "True":
            continue
        full = out[0]
        major, minor, _ = (int(x) for x in full.split("."))
        if (major, minor) < (3, 11) or (major, minor) > (3, 13):
            continue
        found.setdefault(full, path)
    return found


def compare(cp, snap):
    """Problems between one CPython probe record and one model snapshot ([] = agreement)."""
    problems = []
    by_name = {}
    for o in snap["objects"]:
        for n in o["names"]:
            by_name[n] = o
    groups_cp, groups_model = {}, {}
    for name, rec in cp["names"].items():
        model = by_name.get(name)
        if not rec["bound"]:
            if model is not None:
                problems.append("%s: unbound in CPython, bound in the model" % name)
            continue
        if rec["type"] in ("module", "type", "builtin_function_or_method"):
            continue
        if model is None:
            problems.append("%s: bound in CPython (%s), not in the model" % (name, rec["type"]))
            continue
        if model["type"] != rec["type"]:
            problems.append("%s: type %s, model %s" % (name, rec["type"], model["type"]))
            continue
        # The probe's count holds every reference (the program's and the interpreter's).
        if model["refcount"] is not None and model.get("interpreterRefs") is not None:
            total = model["refcount"] + model["interpreterRefs"]
            if total != rec["refcount"]:
                problems.append("%s: refcount %d, model %d (%d + %d)" % (
                    name, rec["refcount"], total, model["refcount"], model.get("interpreterRefs") or 0))
        if model["size"] is not None and model["size"] != rec["size"]:
            problems.append("%s: size %d, model %d" % (name, rec["size"], model["size"]))
        if model["length"] is not None and "length" in rec and model["length"] != rec["length"]:
            problems.append("%s: len %d, model %d" % (name, rec["length"], model["length"]))
        if model["refcount"] is not None:
            groups_cp.setdefault(rec["id"], set()).add(name)
            groups_model.setdefault(model["id"], set()).add(name)
    cp_sets = sorted(sorted(s) for s in groups_cp.values())
    model_sets = sorted(sorted(s) for s in groups_model.values())
    if cp_sets != model_sets:
        problems.append("identity groups %s, model %s" % (cp_sets, model_sets))
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("programs", nargs="*")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    from lsp_client import LspClient  # noqa: E402  (needs C2PY_LSP)

    files = args.programs or sorted(glob.glob(os.path.join(HERE, "programs", "*.py")))
    found = interpreters()
    if not found:
        print("no CPython 3.11–3.13 found")
        return 1
    started = time.monotonic()
    ok = True
    sources = {f: open(f).read() for f in files}
    def check_interpreter(full, python):
        """Runs every program under one interpreter and compares; returns (ok, report lines)."""
        out = []
        version = ".".join(full.split(".")[:2])
        # Calibration: a fresh list is referred to by its name only.
        _, cal = run_cpython(python, CALIBRATION, "calibration.py")
        if cal[1]["names"]["x"]["refcount"] != 1 or cal[3]["names"]["y"]["refcount"] != 1:
            return False, ["calibration failed under %s: %s" % (python, cal)]
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            runs = dict(zip(files, pool.map(lambda f: run_cpython(python, sources[f], f), files)))
        client = LspClient()
        client.initialize(options={"pythonVersion": version})
        total = complete = agree = 0
        failures = []
        try:
            for index, f in enumerate(files):
                uri = "file:///oracle/%d/%s" % (index, os.path.basename(f))
                client.open(uri, "python", sources[f])
                probes, records = runs[f]
                tag_ids = {}
                for line in probes:
                    if line not in records:
                        continue  # never executed under CPython
                    total += 1
                    snap = client.result("c2py/heapSnapshot", {"textDocument": {"uri": uri},
                                                               "position": {"line": line - 1, "character": 0}},
                                         timeout=HANG_GUARD)
                    cp = records[line]
                    # Tags: the model object named at the probe where CPython first tagged it.
                    ids_here = {n: o["id"] for o in snap["objects"] for n in o["names"]}
                    for name in cp["names"]:
                        tag = "%d:%s" % (line, name)
                        if tag in cp["alive"] and name in ids_here:
                            tag_ids[tag] = ids_here[name]
                    if not snap["complete"]:
                        if args.verbose:
                            out.append("  incomplete %s:%d (%s)" % (os.path.basename(f), line, snap.get("reason", "")))
                        continue
                    complete += 1
                    problems = compare(cp, snap)
                    alive_model = {o["id"] for o in snap["objects"]}
                    for tag, alive in cp["alive"].items():
                        if tag in tag_ids and (tag_ids[tag] in alive_model) != alive:
                            problems.append("%s: %s in CPython, %s in the model" % (
                                tag, "alive" if alive else "freed", "alive" if tag_ids[tag] in alive_model else "freed"))
                    if problems:
                        failures.append("%s:%d: %s" % (os.path.basename(f), line, "; ".join(problems)))
                    else:
                        agree += 1
                client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            client.shutdown_and_exit()
        finally:
            client.close()
        pct = 100.0 * complete / total if total else 0.0
        out.insert(0, "CPython %s (%s): %d programs, %d probes, %d complete (%.1f%%), %d of %d complete probes agree" % (
            full, python, len(files), total, complete, pct, agree, complete))
        out.extend("  DISAGREE " + failure for failure in failures)
        return not failures and pct >= 95.0, out

    # One server per interpreter, all at once: the wall time is the slowest interpreter's.
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(found)) as pool:
        results = list(pool.map(lambda item: check_interpreter(*item), sorted(found.items())))
    for good, lines in results:
        for line in lines:
            print(line)
        ok = ok and good
    print("oracle: %.1f s" % (time.monotonic() - started))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
