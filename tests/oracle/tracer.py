#!/usr/bin/env python3
"""Runs a Python program under a tracer and records, right after each simple statement first
executes, every name visible there: its object's type, sys.getsizeof, len, reference counts and
identity. The differential oracle (differential.py) compares these records with the runtime
model's c2py/heapSnapshot at the same lines.

    python3 tracer.py PROGRAM OUT.json [MAX_EVENTS]

The program runs as __main__ with its own folder first on sys.path. "After a statement" is the
next trace event of its frame that is not inside the statement's own lines (a line event of
another statement, or the frame's return): statements spanning lines fire line events for their
later lines too. Only the first execution of a line is recorded (the contract's "first executes"):
the first to start, as in the model, also when a recursive call runs the line again inside it.

Counts. `total` is what sys.getrefcount reports minus the tracer's own references, calibrated:
the call's argument and the tracer's local (2), plus, under 3.11 and 3.12, one per name in each
traced function frame's f_locals dict: the trace trampoline copies a frame's fast locals into
that dict before every trace call (PyFrame_FastToLocalsWithError), so every local's object has
one more reference while a function is traced. 3.13 (PEP 667) has no such dict. `program` counts
the references the program holds: its variables (a closure cell once) and the containers,
instances, functions and cells reachable from them. `total - program` is the interpreter's.
`selftest()` checks both on known cases; differential.py runs it first under each interpreter.
"""
import ast
import builtins
import gc
import json
import os
import sys
import types

SIZED = (list, tuple, dict, set, frozenset, str, bytes, bytearray)
SKIP_TYPES = (types.ModuleType, type, types.BuiltinFunctionType)
PEP667 = sys.version_info >= (3, 13)
COMPREHENSIONS = ("<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>", "<lambda>")


def is_module_frame(f):
    return f.f_code.co_name == "<module>"
DEBUG = os.environ.get("TRACER_DEBUG")


def simple_statements(source):
    """{start line: end line} of the simple statements a probe follows."""
    out = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Delete, ast.Pass,
                             ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                continue  # a docstring: the model has no statement there
            out.setdefault(node.lineno, node.end_lineno)
    return out


class Tracer:
    def __init__(self, path, statements, max_events):
        self.path = path
        self.statements = statements
        self.max_events = max_events
        self.events = 0
        self.done = set()
        self.started = set()
        self.foreign = set()  # lines run only by other code (doctest…) so far
        self.pending = {}  # frame id → (line, end line)
        self.records = {}
        self.stopped = False
        self.saw_generator = False
        self.stale = []

    # ---- counting ----
    def suspended_locals(self, frame):
        """The f_locals dicts of the program's suspended generators (3.11, 3.12): the trace
        trampoline filled each when the generator last ran, and it keeps those references while
        the generator waits. Not the program's, not the interpreter's: the tracer's own."""
        if PEP667 or not self.saw_generator:
            return []
        chain = set()
        f = frame
        while f is not None:
            chain.add(id(f))
            f = f.f_back
        dicts = []
        objects = gc.get_objects()
        for g in objects:
            if type(g) is types.GeneratorType and g.gi_code.co_filename == self.path and g.gi_suspended:
                gf = g.gi_frame
                if gf is not None and id(gf) not in chain:
                    dicts.append(gf.f_locals)
        del objects
        return dicts

    def locals_dict_refs(self, frame, obj):
        """References the f_locals snapshot dicts of traced function frames hold to obj."""
        if PEP667:
            return 0
        n = sum(1 for d in self.stale for v in d.values() if v is obj)
        f = frame
        while f is not None:
            if f.f_code.co_filename == self.path and not is_module_frame(f):
                for v in f.f_locals.values():
                    if v is obj:
                        n += 1
            f = f.f_back
        return n

    def program_frames(self, frame):
        frames = []
        f = frame
        while f is not None:
            if f.f_code.co_filename == self.path:
                frames.append(f)
            f = f.f_back
        return frames

    def program_refs(self, frame, targets):
        """For each target object (by id): references held by the program's variables and by
        the objects they reach. A cell counts once, however many frames and closures see it."""
        counts = {id(t): 0 for t in targets}
        frames = self.program_frames(frame)
        module = frames[-1].f_globals if frames else frame.f_globals
        roots = []
        celled_roots = []  # (name, value) of cell and free variables of live frames
        for f in frames:
            if is_module_frame(f):
                continue
            code = f.f_code
            celled = set(code.co_cellvars) | set(code.co_freevars)
            for name, value in f.f_locals.items():
                if name in celled:
                    # A cell variable's cell is the frame's own (two frames of one function
                    # have two cells); a free variable's is its closure's, maybe shared.
                    owner = id(f) if name in code.co_cellvars else None
                    celled_roots.append((name, value, owner))
                else:
                    roots.append(value)
        for name, value in module.items():
            if name.startswith("__") and name.endswith("__"):
                continue
            if isinstance(value, types.ModuleType):
                continue
            roots.append(value)
        for value in roots:
            if id(value) in counts:
                counts[id(value)] += 1
                if DEBUG: print("root", type(value).__name__)
        # The containers reachable from the roots (not the module dict, code, builtins).
        seen = set()
        work = list(roots) + [v for _, v, _ in celled_roots]
        closure_cells = set()  # (name, id of content) of the cells closures hold
        skip = {id(module), id(__builtins__) if not isinstance(__builtins__, dict) else id(__builtins__)}
        skip.add(id(sys.modules))
        skip.add(id(builtins.__dict__))
        budget = 200000
        while work and budget > 0:
            o = work.pop()
            if id(o) in seen or id(o) in skip:
                continue
            seen.add(id(o))
            budget -= 1
            if isinstance(o, (types.ModuleType, types.CodeType, types.FrameType, types.GeneratorType)):
                continue  # a generator's frame, while suspended, is the interpreter's
            if isinstance(o, type) and o.__module__ != "__main__":
                continue
            if isinstance(o, types.FunctionType) and o.__closure__:
                for name, cell in zip(o.__code__.co_freevars, o.__closure__):
                    try:
                        closure_cells.add((name, id(cell.cell_contents)))
                    except ValueError:
                        pass
            for r in gc.get_referents(o):
                if r is module or isinstance(r, (types.CodeType, types.FrameType)):
                    continue
                if isinstance(o, type) and isinstance(r, (tuple, type)):
                    continue  # a class's MRO and bases: classes have no count in the model
                if id(r) in counts:
                    counts[id(r)] += 1
                    if DEBUG: print("via", type(o).__name__, repr(o)[:60], "->", type(r).__name__)
                if gc.is_tracked(r) or type(r) is types.CellType:
                    work.append(r)
        # A frame's cell that no closure holds yet is the frame's alone: one reference.
        counted = set()
        # A free variable's cell is an enclosing frame's cell variable when that frame is live
        # (a generator expression reading the function's local): counted there.
        frame_cells = {(name, id(value)) for name, value, owner in celled_roots if owner is not None}
        for name, value, owner in celled_roots:
            key = (name, id(value))
            if key in closure_cells or (owner, key) in counted or (owner is None and key in frame_cells):
                continue
            counted.add((owner, key))
            if id(value) in counts:
                counts[id(value)] += 1
        return counts, budget > 0

    # ---- probing ----
    def visible(self, frame):
        names = {}
        for name, value in frame.f_globals.items():
            if not (name.startswith("__") and name.endswith("__")):
                names[name] = value
        if not is_module_frame(frame):
            local = frame.f_locals
            for name in list(names):
                if name in frame.f_code.co_varnames or name in frame.f_code.co_cellvars:
                    del names[name]  # shadowed (or a local not bound yet)
            names.update(local)
        return names

    def probe(self, frame, line, returning=None):
        """`returning`: the value a 'return' event passes (the trace function's `arg` holds it)."""
        self.stale = self.suspended_locals(frame)
        names = self.visible(frame)
        targets = [v for v in names.values() if not isinstance(v, SKIP_TYPES)]
        program, exact = self.program_refs(frame, targets)
        record = {}
        for name in list(names):
            value = names[name]
            if isinstance(value, SKIP_TYPES):
                continue
            rec = {"type": type(value).__name__, "id": id(value), "size": sys.getsizeof(value)}
            if isinstance(value, SIZED) or type(value).__name__ == "array":
                rec["length"] = len(value)
            # getrefcount's argument and `value` (the loop variable) are the tracer's.
            total = sys.getrefcount(value) - 2 - self.locals_dict_refs(frame, value)
            # `names` and `targets` hold it too.
            total -= sum(1 for v in names.values() if v is value)
            total -= sum(1 for v in targets if v is value)
            if returning is not None and value is returning[0]:
                total -= 2  # the trace call's `arg` and the `returning` tuple
            rec["total"] = total
            if exact:
                rec["program"] = program[id(value)]
            record[name] = rec
        del names, targets
        self.stale = []
        self.records[line] = record

    def driven_by_other_code(self, frame):
        """Whether Python code of another file stands between this frame and the program's
        module frame: doctest running the docstrings' examples, unittest, timeit. Those runs are
        not the program's own (the model does not run docstrings), so they are not probed; the
        line's first run by the program itself is."""
        if is_module_frame(frame):
            return False
        f = frame.f_back
        while f is not None:
            if f.f_code.co_filename != self.path:
                return True
            if is_module_frame(f):
                return False
            f = f.f_back
        return False

    def trace(self, frame, event, arg):
        if self.stopped:
            return None
        if frame.f_code.co_filename != self.path:
            return None  # not the program's code: no line events there
        self.events += 1
        if self.events > self.max_events:
            self.stopped = True
            sys.settrace(None)
            return None
        if event == "call" and frame.f_code.co_flags & 0x20:  # CO_GENERATOR
            self.saw_generator = True
        if frame.f_code.co_name in COMPREHENSIONS:
            return self.trace  # part of the statement that made it
        key = id(frame)
        if event in ("line", "return"):
            pending = self.pending.get(key)
            if pending is not None:
                start, end = pending
                # A later line of the statement, or its own line again (a comprehension inlined
                # into the frame, 3.12+, loops back to it): the statement has not finished.
                line = frame.f_lineno
                inside = event == "line" and (line == start or (start < line <= end and line not in self.statements))
                if not inside:
                    del self.pending[key]
                    if start not in self.done:
                        self.done.add(start)
                        self.probe(frame, start, (arg,) if event == "return" else None)
            if event == "line":
                line = frame.f_lineno
                # The first execution is the first to start (as in the model): a recursive call
                # of the same line inside it is not followed, its frame is.
                if line in self.statements and line not in self.started:
                    if self.driven_by_other_code(frame):
                        self.foreign.add(line)
                    else:
                        self.started.add(line)
                        self.pending[key] = (line, self.statements[line])
            else:
                self.pending.pop(key, None)
        return self.trace


def run(path, out, max_events=200000):
    path = os.path.abspath(path)
    with open(path) as f:
        source = f.read()
    tracer = Tracer(path, simple_statements(source), max_events)
    code = compile(source, path, "exec")
    sys.path.insert(0, os.path.dirname(path))
    # The program is __main__, as when run directly (doctest.testmod() finds it there).
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__builtins__ = builtins
    glb = main.__dict__
    sys.modules["__main__"] = main
    sys.argv = [path]
    status = "ok"
    sys.settrace(tracer.trace)
    try:
        exec(code, glb)
    except SystemExit:
        pass
    except BaseException as e:  # the program's own failure: records up to there stand
        status = "raised %s" % type(e).__name__
    finally:
        sys.settrace(None)
    with open(out, "w") as f:
        json.dump({"status": status, "stopped": tracer.stopped, "events": tracer.events,
                   "foreign_lines": sorted(tracer.foreign - set(tracer.records)),
                   "records": {str(k): v for k, v in tracer.records.items()}}, f)


SELFTEST = '''import sys
a = [1, 2]
b = a
d = {"k": a}
def f(x, y=None):
    z = [x]
    w = x
    return len(z)
n = f(a)
class Box:
    def __init__(self, v):
        self.v = v
box = Box(a)
def outer():
    data = [9]
    def inner():
        return data
    got = inner()
    return got
r = outer()
for item in [a]:
    seen = item
def rec(xs, depth):
    total = sum(x for x in xs)
    if depth:
        rec(xs, depth - 1)
    else:
        leaf = xs
    return total
lst = [5]
rec(lst, 1)
def peek(v):
    seen2 = v
    return True
def holder():
    box2 = [7]
    return all(peek(box2) for _ in [1])
holder()
'''


def selftest():
    """Known counts under this interpreter; returns a list of problems ([] = the tracer is right)."""
    import tempfile
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "prog.py")
        with open(path, "w") as f:
            f.write(SELFTEST)
        out = os.path.join(tmp, "out.json")
        import subprocess
        subprocess.run([sys.executable, os.path.abspath(__file__), path, out], check=True)
        with open(out) as f:
            rec = {int(k): v for k, v in json.load(f)["records"].items()}

    def expect(line, name, field, value):
        got = rec.get(line, {}).get(name, {}).get(field)
        if got != value:
            problems.append("line %d %s.%s: %r, expected %r" % (line, name, field, got, value))
    expect(2, "a", "total", 1)
    expect(2, "a", "program", 1)
    expect(3, "a", "program", 2)
    expect(4, "a", "program", 3)           # a, b, d['k']
    expect(6, "x", "program", 5)           # a, b, d['k'], x, z[0]
    expect(6, "x", "total", 5)             # a Python call moves its arguments into the frame
    expect(6, "z", "program", 1)
    expect(7, "w", "program", 6)
    expect(12, "v", "program", 5)          # a, b, d['k'], v, self.v
    expect(12, "v", "total", 7)            # + the caller's stack and type_call's args tuple
    expect(13, "a", "program", 4)          # a, b, d['k'], box.v
    expect(15, "data", "program", 1)       # one cell
    expect(18, "data", "program", 2)       # the cell (seen by outer and inner) and got
    expect(18, "got", "program", 2)
    expect(22, "seen", "program", 6)       # a, b, d['k'], box.v, item, seen
    expect(22, "seen", "total", 7)         # + the loop's list
    expect(28, "leaf", "program", 4)       # lst, each frame's own cell for xs, leaf
    expect(33, "seen2", "program", 3)      # holder's cell (the genexpr reads the same cell), v, seen2
    return problems


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--selftest":
        found = selftest()
        print("\n".join(found) if found else "tracer selftest: ok (%s)" % sys.version.split()[0])
        sys.exit(1 if found else 0)
    run(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 200000)
