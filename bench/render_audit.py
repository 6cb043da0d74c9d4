#!/usr/bin/env python3
"""Renders every hover, inlay hint, diagnostic message and fix that c2py-lsp shows on a set of
files (through `c2py-lsp --check --json`) and counts what a reader should never see (issue 13):

  py_not_python      a "≈" hint or a hover's ```python block that does not compile as Python
  py_c_operators     ... or that contains C (->, unary &, ++/--, ?:, &&, ||, !x, sizeof, NULL)
  c_not_c            a hover's ```c block that does not parse as C (gcc -fsyntax-only, syntax errors only)
  python_in_c        a ```c block with Python in it (None, True, .join(, 1_000, len(, # comments)
  name_collision     a template's own name (n, tmp, grown, parts...) equal to a name filled in from the user's code
  idiom_mismatch     a hover whose data.idiom is not the entry its text shows
  duplicate_hints    two hints at one place with the same label
  internal_names     tree-sitter node names, Python type-internal names or "a object" in any text
  truncated          a text cut in the middle of a word ("…" right after a letter)

and the density: hovers and hints per 1,000 lines, per hint kind. Usage:

  render_audit.py [--sample N] [--json FILE] [--examples] [--corpus NAME ...]

--sample N takes every k-th file of each corpus (sorted), N files in all per corpus: a fixed,
reproducible slice (the ctest `idioms.test_rendered` runs one). Without it, every file.
"""
import argparse
import collections
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

# Snippets are made parseable the same way the claim checks make them: one helper for both.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "idioms"))
from claims import typedefs_for  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("C2PY_SOURCE_DIR", os.path.dirname(HERE))
CORPORA = os.path.realpath(os.environ.get("C2PY_CORPORA", os.path.join(SOURCE_DIR, "..", "shared", "corpora")))
BINARY = os.environ.get("C2PY_LSP", os.path.join(SOURCE_DIR, "build", "release", "c2py-lsp"))
KNOWLEDGE = os.path.join(SOURCE_DIR, "knowledge")

KINDS = ["crashes", "py_not_python", "py_c_operators", "c_not_c", "python_in_c", "name_collision", "idiom_mismatch",
         "duplicate_hints", "internal_names", "truncated"]

CORPUS_GLOBS = {
    "juliet": ["juliet/testcases/**/*.c"],
    "real-c": ["real-c/**/*.c", "real-c/**/*.h"],
    "real-python": ["real-python/**/*.py"],
}

STRINGS = re.compile(r"""("([^"\\\n]|\\.)*"|'([^'\\\n]|\\.)*')""")
COMMENT_PY = re.compile(r"#.*")
C_IN_PYTHON = re.compile(r"->|\+\+|\w--|--\w|&&|\|\||\bsizeof\b|\bNULL\b|(^|[=(\[,:]|\breturn)\s*&\s*[\w(]|"
                         r"(^|[^!=<>])!(?!=)\w|\?")
PY_IN_C = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|\.join\(|\d_\d|\blen\(|\.append\(|\belif\b|^\s*#\s+[a-z]", re.M)
INTERNAL = re.compile(r"\b[a-z]+_(statement|expression|definition|declarator|literal|operator|clause|specifier)\b|"
                      r"\bbuiltin_function_or_method\b|\bmethod-wrapper\b|\ba (object|int|instance|array|item|"
                      r"integer|element|iterator|enumerate|ellipsis)\b")
TRUNCATED = re.compile(r"[A-Za-z0-9_]…")
FENCE = re.compile(r"```(c|python)\n(.*?)\n```", re.S)
SYNTAX_ERROR = re.compile(r"error: (expected|stray|invalid suffix|missing terminating|lvalue required|"
                          r"unterminated|invalid preprocessing|empty character constant|invalid token)")
C_KEYWORDS = set("""auto break case char const continue default do double else enum extern float for goto if
inline int long register restrict return short signed sizeof static struct switch typedef union unsigned
void volatile while NULL size_t def class in is not and or None True False import for while return lambda
del with as pass""".split())


def files_of(corpus, sample):
    paths = sorted({p for g in CORPUS_GLOBS[corpus] for p in glob.glob(os.path.join(CORPORA, g), recursive=True)})
    if sample and len(paths) > sample:
        step = len(paths) / sample
        paths = [paths[int(i * step)] for i in range(sample)]
    return paths


def knowledge_entries():
    entries = {}
    for path in glob.glob(os.path.join(KNOWLEDGE, "**", "*.md"), recursive=True):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        end = text.index("\n---\n", 3)
        front = {}
        for line in text[4:end].split("\n"):
            key, _, value = line.partition(":")
            front[key.strip()] = value.strip().replace("\\n", "\n")
        entries[os.path.splitext(os.path.basename(path))[0]] = front
    return entries


def template_regex(template):
    """A regex that matches the template filled with any bindings, with one group per placeholder."""
    out, seen, pos = [], set(), 0
    for m in re.finditer(r"\{(\w+)\}", template):
        out.append(re.escape(template[pos:m.start()]))
        name = m.group(1)
        out.append("(?P=%s)" % name if name in seen else "(?P<%s>.+?)" % name)
        seen.add(name)
        pos = m.end()
    out.append(re.escape(template[pos:]))
    literal = re.sub(r"\{\w+\}", " ", template)
    literal = STRINGS.sub(" ", re.sub(r"/\*.*?\*/|#.*", " ", literal))
    names = set(re.findall(r"\b[A-Za-z_]\w*\b", literal)) - C_KEYWORDS
    return re.compile("".join(out), re.S), names


def collisions(entry, language, code, cache):
    """Names a template brings in that a filled-in value also uses, as a whole identifier."""
    found = []
    for key, template in entry.items():
        if not (key == language or key.startswith(language + "[")):
            continue
        if (id(entry), key) not in cache:
            cache[(id(entry), key)] = template_regex(template)
        regex, names = cache[(id(entry), key)]
        m = regex.fullmatch(code)
        if not m:
            continue
        for name, value in m.groupdict().items():
            if re.fullmatch(r"[A-Za-z_]\w*", value or "") and value in names:
                found.append("{%s}=%s" % (name, value))
        return found
    return found


def python_ok(code):
    try:
        compile(code, "<snippet>", "exec")
        return True
    except (SyntaxError, ValueError):
        return False


def c_ops_in_python(code):
    bare = COMMENT_PY.sub("", STRINGS.sub('""', code))
    return C_IN_PYTHON.search(bare)



def c_syntax_failures(snippets, workdir):
    """Indices of snippets with a C syntax error: one gcc run for all of them."""
    parts = ["#include <stdlib.h>\n#include <string.h>\n#include <stdio.h>\n#include <stdint.h>\n"]
    for i, code in enumerate(snippets):
        defines = re.search(r"^[A-Za-z_][\w \t\*]*\b\w+\s*\([^;{]*\)\s*\{", code, re.M)
        # Block-scope typedefs, so that they cannot turn a later snippet's variable into a type.
        if defines:
            parts.append('%s#line 1 "s%d"\n%s\n' % (typedefs_for(code), i, code))
        else:
            parts.append('void snippet_%d(void) {\n%s#line 1 "s%d"\n%s\n}\n' % (i, typedefs_for(code), i, code))
    path = os.path.join(workdir, "snippets.c")
    with open(path, "w") as out:
        out.write("\n".join(parts))
    run = subprocess.run(["gcc", "-std=gnu17", "-fsyntax-only", "-w", "-fmax-errors=0", path],
                         capture_output=True, text=True, timeout=600)
    bad = set()
    for line in run.stderr.splitlines():
        m = re.match(r"s(\d+):\d+:\d+: (.*)", line)
        if m and SYNTAX_ERROR.search(m.group(2)):
            bad.add(int(m.group(1)))
    return bad


def check(paths):
    try:
        run = subprocess.run([BINARY, "--check", "--json", *paths], capture_output=True, text=True, timeout=900)
        return json.loads(run.stdout)["files"]
    except (subprocess.TimeoutExpired, ValueError):
        return None


def audit(paths, batch=25):
    entries = knowledge_entries()
    titles = {k: v.get("title") for k, v in entries.items()}
    counts = collections.Counter()
    samples = collections.defaultdict(list)
    density = collections.Counter()
    lines = 0
    c_snippets = []  # (code, where)
    regex_cache = {}

    def flag(kind, where, text):
        counts[kind] += 1
        if len(samples[kind]) < 12:
            samples[kind].append("%s: %s" % (where, text[:300]))

    for start in range(0, len(paths), batch):
        chunk = paths[start:start + batch]
        files = check(chunk)
        if files is None:  # one file crashed or hung the batch: run them one by one
            files = []
            for path in chunk:
                one = check([path])
                if one is None:
                    flag("crashes", path, "c2py-lsp --check --json did not finish with JSON")
                else:
                    files += one
        for f in files:
            path = os.path.relpath(f["path"], CORPORA) if f["path"].startswith(CORPORA) else f["path"]
            with open(f["path"], "rb") as src:
                lines += src.read().count(b"\n")
            texts = []  # (where, prose) for the checks that read every word
            at = collections.defaultdict(list)
            for hint in f["inlayHints"]:
                pos = hint["position"]
                where = "%s:%d:%d" % (path, pos["line"] + 1, pos["character"] + 1)
                label = hint["label"] if isinstance(hint["label"], str) else json.dumps(hint["label"])
                kind = hint.get("data", {}).get("kind", "?")
                density["hint." + kind] += 1
                if label in at[(pos["line"], pos["character"])]:
                    flag("duplicate_hints", where, label)
                at[(pos["line"], pos["character"])].append(label)
                texts.append((where, label))
                if label.startswith("≈ "):
                    code = label[2:]
                    if not python_ok(code):
                        flag("py_not_python", where, label)
                    elif (m := c_ops_in_python(code)):
                        flag("py_c_operators", where, label)
                tooltip = hint.get("tooltip", {})
                if isinstance(tooltip, dict) and tooltip.get("value"):
                    texts.append((where + " (tooltip)", FENCE.sub(" ", tooltip["value"])))
            for hover in f["hovers"]:
                pos = hover["position"]
                where = "%s:%d:%d" % (path, pos["line"] + 1, pos["character"] + 1)
                density["hover"] += 1
                value = hover["contents"]["value"]
                idiom = hover.get("data", {}).get("idiom")
                head = value.split("\n---\n")[0]
                shown = re.match(r"\*\*(.*?)\*\*", head)
                if idiom in titles and shown and shown.group(1) != titles[idiom]:
                    flag("idiom_mismatch", where, "data.idiom %s, shows %r" % (idiom, shown.group(1)))
                texts.append((where, FENCE.sub(" ", head)))
                for language, code in FENCE.findall(head):
                    if language == "python":
                        if not python_ok(code):
                            flag("py_not_python", where, code)
                        elif c_ops_in_python(code):
                            flag("py_c_operators", where, code)
                    else:
                        c_snippets.append((code, where))
                        if PY_IN_C.search(STRINGS.sub('""', re.sub(r"/\*.*?\*/", "", code, flags=re.S))):
                            flag("python_in_c", where, code)
                    if idiom in entries and (clash := collisions(entries[idiom], language, code, regex_cache)):
                        flag("name_collision", where, "%s in %s" % (", ".join(clash), code))
            for d in f["diagnostics"]:
                pos = d["range"]["start"]
                texts.append(("%s:%d:%d [%s]" % (path, pos["line"] + 1, pos["character"] + 1, d.get("code")), d["message"]))
                density["diagnostic"] += 1
            for action in f["codeActions"]:
                texts.append((path + " (fix)", action["title"]))
            for where, text in texts:
                if INTERNAL.search(text):
                    flag("internal_names", where, INTERNAL.search(text).group(0) + " in " + text)
                if TRUNCATED.search(text):
                    flag("truncated", where, text)
    with tempfile.TemporaryDirectory() as workdir:
        for chunk in range(0, len(c_snippets), 400):
            part = c_snippets[chunk:chunk + 400]
            for i in sorted(c_syntax_failures([code for code, _ in part], workdir)):
                flag("c_not_c", part[i][1], part[i][0])
    return counts, samples, density, lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--corpus", nargs="*", default=list(CORPUS_GLOBS))
    parser.add_argument("--examples", action="store_true", help="also examples/*.c, *.py")
    parser.add_argument("--json", help="write counts, samples and density here")
    parser.add_argument("--show", type=int, default=3, help="samples printed per kind")
    args = parser.parse_args()
    report = {}
    groups = {c: files_of(c, args.sample) for c in args.corpus if os.path.isdir(CORPORA)}
    if args.examples:
        groups["examples"] = sorted(glob.glob(os.path.join(SOURCE_DIR, "examples", "*.[cp]*")))
    for name, paths in groups.items():
        counts, samples, density, lines = audit(paths)
        per_kloc = {k: round(v * 1000 / max(lines, 1), 1) for k, v in sorted(density.items())}
        report[name] = {"files": len(paths), "lines": lines, "counts": {k: counts[k] for k in KINDS},
                        "per_kloc": per_kloc, "samples": {k: samples[k] for k in KINDS if samples[k]}}
        print("== %s: %d files, %d lines" % (name, len(paths), lines))
        print("   defects: " + ", ".join("%s %d" % (k, counts[k]) for k in KINDS))
        print("   per 1,000 lines: " + ", ".join("%s %s" % kv for kv in per_kloc.items()))
        for k in KINDS:
            for s in samples[k][:args.show]:
                print("   %s | %s" % (k, s.replace("\n", "⏎")[:240]))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(report, out, indent=1, ensure_ascii=False)
    return report


if __name__ == "__main__":
    main()
