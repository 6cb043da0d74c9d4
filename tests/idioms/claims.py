"""Claim checks and snippet checks of knowledge/ (issue 13).

Every entry may carry executable checks beside its text:

  ```python check        run by every installed CPython (python3.N); must exit 0 (asserts)
  ```c check             gcc -std=c17 -Wall -Wextra -Werror -fsanitize=address,undefined, run: exit 0
  ```c check asan-error  the same, but the run must be stopped by AddressSanitizer (the error is the point)

Every `message`/`message[...]`, `fix`, `phrase[...]` and `related[...]` template (the sentences
of a diagnostic; `{@name}` is the phrase the sample's `name` picks) fills from the sample with no
placeholder left. Every other ```python block and every `python`/`python[...]` template (filled with the entry's
`sample:` bindings) must compile with `compile(..., "exec")` under every installed CPython; every
other ```c block and `c`/`c[...]` template must parse as C: `gcc -fsyntax-only` on the snippet
(wrapped in a function body unless it defines one), counting only syntax errors (names the
snippet does not declare are not its business). Runnable as a script: prints one line per failure
and the counts.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

SOURCE_DIR = os.environ.get("C2PY_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
KNOWLEDGE = os.path.join(SOURCE_DIR, "knowledge")

FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```[ \t]*$", re.S | re.M)
PLACEHOLDER = re.compile(r"\{(\w+)\}")

# Bindings shared by every entry's templates; an entry's `sample:` front-matter key overrides
# or adds (`name=value | name=value`).
DEFAULT_SAMPLE = {
    "var": "arr", "pointer": "arr", "tmp": "grown", "size": "20 * sizeof *arr", "count": "10",
    "type": "int", "c_type": "int", "function": "load", "kind": "list", "line": "12",
    "python_code": "arr = [0] * 10", "python_value": "[0] * 10", "c_code": "int *arr = malloc(10 * sizeof *arr);",
    "source": "items", "item": "x", "piece": "word", "operation": "append", "argument": "x",
    "rows": "3", "cols": "4", "row": "[0] * 4", "class_name": "Conn", "tag": "node", "field": "next",
    "access": "arr[3]", "python_access": "arr[3]", "python_error": "IndexError", "condition": "!arr",
    "dest": "buf", "left": "a", "right": "b", "operand": "a", "expression": "10 * sizeof(int)",
    "bytes_text": "40 bytes", "typecode": "i", "fixed": "arr.append(x)", "array_value": "array.array('i', [0]) * 10",
    "c_items": "a, b", "names": "a and b", "handler": "report and give up", "what": "returns a count",
    "reason": "the function returns on the next line", "last": "9", "index": "i", "value": "i * i",
    "prealloc": "[None] * n", "subject": "arr[3]", "dtype": "int32", "size_text": "4.0 MB", "c_bytes": "4.0 MB",
    "count_text": "10 values", "itemsize": "4 bytes", "need": "6 bytes", "bytes": "40 bytes", "zeroed": "",
    "cursor": "cursor", "original": "text", "message": "",
}

SYNTAX_ERROR = re.compile(r"error: (expected|stray|invalid suffix|missing terminating|lvalue required|"
                          r"unterminated|invalid preprocessing|#|empty character constant|"
                          r"multi-character|invalid token)")


def interpreters():
    found = sorted({os.path.realpath(p) for p in glob.glob("/usr/bin/python3.[0-9]*") + glob.glob("/usr/local/bin/python3.[0-9]*")
                    if re.search(r"python3\.\d+$", p)})
    return found or [sys.executable]


def parse(path):
    text = open(path, encoding="utf-8").read()
    assert text.startswith("---\n"), path
    end = text.index("\n---\n", 3)
    front = {}
    for line in text[4:end].split("\n"):
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition(":")
            key, value = key.strip(), value.strip()
            if key.startswith(("phrase[", "related[")) and len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]  # a fragment that begins or ends with a space, or is empty
            front[key] = value.replace("\\n", "\n")
    body = text[end + 5:]
    blocks = [(m.group(1), m.group(2).strip(), m.group(3), text[:m.start()].count("\n") + 1)
              for m in FENCE.finditer(text, end)]
    return front, body, blocks


def sample_of(front):
    sample = dict(DEFAULT_SAMPLE)
    for item in front.get("sample", "").split(" | "):
        if "=" in item:
            name, _, value = item.partition("=")
            sample[name.strip()] = value.strip()
    return sample


def fill(template, sample):
    return PLACEHOLDER.sub(lambda m: sample.get(m.group(1), m.group(0)), template)


PHRASE = re.compile(r"\{@(\w+)\}")


def fill_message(template, sample, front):
    """A diagnostic's sentence as server::diagnostic_message fills it: `{@name}` is the entry's
    `phrase[<sample's name>]`, itself filled from the sample."""
    def phrase(m):
        choice = sample.get(m.group(1))
        key = "phrase[%s]" % choice
        return fill(front[key], sample) if choice is not None and key in front else m.group(0)
    return fill(PHRASE.sub(phrase, template), sample)


def python_compiles(code, python):
    run = subprocess.run([python, "-c", "import sys; compile(sys.stdin.read(), 'snippet', 'exec')"],
                         input=code, capture_output=True, text=True, timeout=60)
    return run.returncode == 0, run.stderr.strip().splitlines()[-1:] if run.stderr else []


C_PRELUDE = "#include <stdlib.h>\n#include <string.h>\n#include <stdio.h>\n#include <stdint.h>\n"
DEFINES_FUNCTION = re.compile(r"^[A-Za-z_][\w \t\*]*\b\w+\s*\([^;{]*\)\s*\{", re.M)



C_TYPE_WORDS = set("""auto break case char const continue default do double else enum extern float for goto if inline
int long register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while
size_t""".split())


def typedefs_for(code):
    """`typedef struct T_ T;` for names the snippet uses as types without declaring them
    (`twoIntsStruct * data = (twoIntsStruct *)malloc(...)`): gcc cannot parse those otherwise."""
    names = set(re.findall(r"\(\s*(?:const\s+)?([A-Za-z_]\w*)\s*\*+\s*\)", code))
    names |= set(re.findall(r"^\s*(?:(?:const|static|unsigned|volatile)\s+)*([A-Za-z_]\w*)\s*(?:\*+\s*|\s+)[A-Za-z_]\w*\s*(?:=|;|\[|,)",
                            code, re.M))
    # A user's qualifier macro before a type (`CONST char *s`): defined away, as the preprocessor would.
    macros = set(re.findall(r"\b([A-Z_][A-Z0-9_]*)\s+(?=(?:const|char|int|unsigned|signed|void|struct|long|short|double|float)\b)", code))
    return "".join("#define %s\n" % m for m in sorted(macros)) + \
        "".join("typedef struct %s_ %s;\n" % (n, n) for n in sorted(names - C_TYPE_WORDS - macros))


def c_syntax_errors(code, workdir):
    wrapped = code if DEFINES_FUNCTION.search(code) or re.match(r"\s*struct \w+ \{", code) and code.rstrip().endswith("};") \
        else "void snippet_(void) {\n" + code + "\n}\n"
    path = os.path.join(workdir, "snippet.c")
    with open(path, "w") as out:
        out.write(C_PRELUDE + typedefs_for(code) + wrapped)
    run = subprocess.run(["gcc", "-std=gnu17", "-fsyntax-only", "-w", path], capture_output=True, text=True, timeout=60)
    return [line.split("snippet.c:", 1)[-1] for line in run.stderr.splitlines() if SYNTAX_ERROR.search(line)]


def run_c_check(code, mode, workdir):
    source = os.path.join(workdir, "check.c")
    binary = os.path.join(workdir, "check")
    with open(source, "w") as out:
        out.write(code)
    build = subprocess.run(["gcc", "-std=c17", "-Wall", "-Wextra", "-Werror", "-g", "-O0", "-fno-omit-frame-pointer",
                            "-fsanitize=address,undefined", "-o", binary, source], capture_output=True, text=True, timeout=120)
    if build.returncode != 0:
        return "does not compile: " + " / ".join(build.stderr.splitlines()[:3])
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:allocator_may_return_null=1", UBSAN_OPTIONS="halt_on_error=1")
    run = subprocess.run([binary], capture_output=True, text=True, timeout=60, env=env)
    caught = "ERROR: AddressSanitizer" in run.stderr or "ERROR: LeakSanitizer" in run.stderr
    if mode == "asan-error":
        return None if caught and run.returncode != 0 else "expected AddressSanitizer to stop it (exit %d)" % run.returncode
    if run.returncode != 0:
        return "exit %d: %s" % (run.returncode, " / ".join((run.stderr or run.stdout).splitlines()[:4]))
    return None


def run_python_check(code, python):
    run = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        return "%s: %s" % (os.path.basename(python), " / ".join(run.stderr.strip().splitlines()[-3:]))
    return None


def check_all(paths=None):
    """Returns (failures, counts)."""
    paths = paths or sorted(glob.glob(os.path.join(KNOWLEDGE, "**", "*.md"), recursive=True))
    pythons = interpreters()
    failures = []
    counts = dict(entries=0, python_checks=0, c_checks=0, python_snippets=0, c_snippets=0, templates=0, messages=0)
    with tempfile.TemporaryDirectory() as workdir:
        for path in paths:
            name = os.path.relpath(path, KNOWLEDGE)
            counts["entries"] += 1
            front, _, blocks = parse(path)
            for language, info, code, line in blocks:
                where = "%s:%d" % (name, line)
                if language == "python" and info.startswith("check"):
                    counts["python_checks"] += 1
                    for python in pythons:
                        if (error := run_python_check(code, python)):
                            failures.append("%s: python check fails under %s" % (where, error))
                elif language == "c" and info.startswith("check"):
                    counts["c_checks"] += 1
                    if (error := run_c_check(code, info[len("check"):].strip(), workdir)):
                        failures.append("%s: C check %s" % (where, error))
                elif language == "python":
                    counts["python_snippets"] += 1
                    for python in pythons:
                        ok, why = python_compiles(code, python)
                        if not ok:
                            failures.append("%s: Python snippet does not compile: %s" % (where, why))
                elif language == "c":
                    counts["c_snippets"] += 1
                    for error in c_syntax_errors(code, workdir):
                        failures.append("%s: C snippet: %s" % (where, error))
            sample = sample_of(front)
            for key, template in front.items():
                if key in ("message", "fix") or key.startswith(("message[", "fix[", "phrase[", "related[")):
                    counts["messages"] += 1
                    text = fill_message(template, sample, front)
                    if PLACEHOLDER.search(text.replace('"".join', "")) or PHRASE.search(text):
                        failures.append("%s: %s has no sample for %s" % (name, key, PLACEHOLDER.findall(text) + PHRASE.findall(text)))
                    continue
                language = "python" if key.startswith("python") else "c" if key == "c" or key.startswith("c[") else None
                if not language:
                    continue
                counts["templates"] += 1
                code = fill(template, sample)
                where = "%s: template %s" % (name, key)
                if (unfilled := PLACEHOLDER.findall(code)) and language == "python" and "f\"" not in code:
                    failures.append("%s: no sample for %s" % (where, unfilled))
                if language == "python":
                    ok, why = python_compiles(code, pythons[0])
                    if not ok:
                        failures.append("%s: does not compile as Python: %s\n%s" % (where, why, code))
                else:
                    for error in c_syntax_errors(code, workdir):
                        failures.append("%s: does not parse as C: %s\n%s" % (where, error, code))
    return failures, counts


if __name__ == "__main__":
    failures, counts = check_all([os.path.abspath(p) for p in sys.argv[1:]] or None)
    for failure in failures:
        print("FAIL", failure)
    print(" ".join("%s=%d" % kv for kv in counts.items()), "interpreters=" + ",".join(interpreters()))
    print("%d passed, %d failed" % (sum(counts.values()) - counts["entries"] - len(failures), len(failures)))
    sys.exit(1 if failures else 0)
