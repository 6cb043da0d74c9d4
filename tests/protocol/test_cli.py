"""The command line as CI users and terminal users meet it: `--opt=value`, folders (with .git,
build folders and .gitignore skipped), absolute file:// URIs, syntax errors, the output formats
(text, json, SARIF 2.1.0 validated against its schema, GitHub Actions annotations) and the exit
statuses (0 fine, 1 unreadable or syntax errors, 2 bad usage, 3 findings at or above --fail-on)."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import urllib.parse

from lsp_client import BINARY, SOURCE_DIR

HERE = os.path.dirname(os.path.abspath(__file__))
SARIF_DIR = os.path.join(HERE, "sarif")

LEAK_C = """#include <stdlib.h>

int main(void) {
    char *buffer = malloc(64);
    if (!buffer) return 1;
    buffer[0] = 'x';
    return 0;
}
"""
CLEAN_C = """#include <stdlib.h>

int main(void) {
    int x = 42;
    return x - 42;
}
"""
ROWS_PY = """rows, cols = 3, 4
grid = [[0] * cols] * rows
grid[0][0] = 1
"""
BROKEN_C = """int main(void) {
    int x = ;
    return 0
"""


def run(args, cwd=None):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


class Tree:
    """A temporary folder filled with files: {relative path: text}."""

    def __init__(self, files):
        self.root = tempfile.mkdtemp(prefix="c2py cli ")  # a space, to be percent-encoded
        for rel, text in files.items():
            path = os.path.join(self.root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


class CommandLineTest(unittest.TestCase):
    def setUp(self):
        self.tree = Tree({"leak.c": LEAK_C, "clean.c": CLEAN_C, "rows.py": ROWS_PY, "broken.c": BROKEN_C})
        self.addCleanup(self.tree.close)

    def check_json(self, *args, cwd=None):
        out = run(["--check", "--json", *args], cwd=cwd or self.tree.root)
        return out, json.loads(out.stdout)

    def test_options_take_equals_and_space_forms(self):
        for args in (["--python-version=3.13"], ["--python-version", "3.13"], ["--output-format=json"],
                     ["--jobs=2"], ["-j", "2"], ["-j2"], ["--fail-on=none"], ["--log-level=debug"]):
            out = run(["--check", *args, "clean.c"], cwd=self.tree.root)
            self.assertEqual(out.returncode, 0, (args, out.stderr))
        for args in (["--python-version=2.7"], ["--output-format=xml"], ["--jobs=0"], ["-jx"],
                     ["--json=yes"], ["--fail-on"], ["--fail-on=sometimes"], ["--frobnicate"]):
            out = run(["--check", *args, "clean.c"], cwd=self.tree.root)
            self.assertEqual(out.returncode, 2, args)
            self.assertTrue(out.stderr.startswith("c2py-lsp: "), out.stderr)
        self.assertEqual(run(["--check"]).returncode, 2)
        self.assertEqual(run(["clean.c"], cwd=self.tree.root).returncode, 2)
        help_text = run(["--help"]).stdout
        for word in ("--output-format", "sarif", "github", "--fail-on", "--jobs", "--diagnostics-only"):
            self.assertIn(word, help_text)

    def test_relative_path_gives_an_absolute_percent_encoded_uri(self):
        out, data = self.check_json("leak.c")
        path = os.path.realpath(os.path.join(self.tree.root, "leak.c"))
        expected = "file://" + urllib.parse.quote(path)
        self.assertIn("%20", expected)
        (file,) = data["files"]
        self.assertEqual(file["path"], "leak.c")
        self.assertEqual(file["uri"], expected)
        # The URIs inside the LSP objects too: related information and the fixes' edits.
        leak = next(d for d in file["diagnostics"] if d["code"] == "memory-leak")
        for related in leak.get("relatedInformation", []):
            self.assertEqual(related["location"]["uri"], expected)
        for action in file["codeActions"]:
            self.assertEqual(list(action["edit"]["changes"]), [expected])

    def test_syntax_errors_are_reported_once_and_make_status_1(self):
        out = run(["--check", "broken.c"], cwd=self.tree.root)
        self.assertEqual(out.returncode, 1)
        header = out.stdout.splitlines()[0]
        self.assertRegex(header, r"^== broken\.c \(C, \d+ lines\): \d+ syntax errors?")
        self.assertRegex(out.stdout, r"broken\.c:1:1: error: syntax error: cannot parse lines 1-3")
        self.assertNotIn("diagnostics: 0", out.stdout)
        self.assertIn("the parser recovered", out.stdout)

    def test_text_view_is_short_and_shows_hints_inline(self):
        examples = [os.path.join(SOURCE_DIR, "examples", n) for n in ("lesson.c", "lesson.py")]
        out = run(["--check", *examples])
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = out.stdout.splitlines()
        self.assertLess(len(lines), 150)
        self.assertTrue(any("‹" in l and "›" in l and " │ " in l for l in lines))
        self.assertTrue(any("hover at" in l for l in lines))
        self.assertNotIn("```", out.stdout)
        full = run(["--check", "--full-hovers", *examples])
        self.assertIn("```c", full.stdout)
        self.assertGreater(len(full.stdout.splitlines()), len(lines))
        self.assertRegex(lines[-1], r"^== 2 files, \d+ lines: ")

    def test_inlay_hints_are_padded_from_the_code(self):
        lesson = os.path.join(SOURCE_DIR, "examples", "lesson.c")
        out = run(["--check", "--json", lesson])
        hints = json.loads(out.stdout)["files"][0]["inlayHints"]
        with open(lesson, encoding="utf-8") as f:
            lines = f.read().split("\n")
        for hint in hints:
            line, column = hint["position"]["line"], hint["position"]["character"]
            after = lines[line].encode()[column:column + 1].decode(errors="replace")
            self.assertTrue(hint["paddingLeft"], hint)
            # `malloc(...)‹40 B›;` needs room on both sides; at the end of a line, the left is enough.
            self.assertEqual(hint["paddingRight"], after not in ("", " ", "\t"), (hint["label"], after))
        self.assertTrue(any(h["paddingRight"] for h in hints))

    def test_hovers_label_their_c_and_python_blocks(self):
        lesson = os.path.join(SOURCE_DIR, "examples", "lesson.c")
        hovers = json.loads(run(["--check", "--json", lesson]).stdout)["files"][0]["hovers"]
        malloc = next(h for h in hovers if h["data"]["idiom"] == "malloc")["contents"]["value"]
        # Not two code blocks in a row: a label names each language.
        self.assertRegex(malloc, r"\*\*C\*\*\n```c\n[^`]*```\n\n\*\*Python\*\*\n```python\n")
        for hover in hovers:
            self.assertNotRegex(hover["contents"]["value"], r"```\n\s*```")

    def test_diagnostics_only(self):
        out, data = self.check_json("--diagnostics-only", "leak.c")
        (file,) = data["files"]
        self.assertTrue(file["diagnostics"])
        self.assertEqual(file["inlayHints"], [])
        self.assertEqual(file["hovers"], [])
        text = run(["--check", "--diagnostics-only", "leak.c"], cwd=self.tree.root).stdout
        self.assertNotIn("hover", text)
        self.assertIn("[memory-leak]", text)

    def test_exit_status_for_findings(self):
        root = self.tree.root
        self.assertEqual(run(["--check", "leak.c"], cwd=root).returncode, 0)  # text: --fail-on none
        self.assertEqual(run(["--check", "--fail-on=warning", "leak.c"], cwd=root).returncode, 3)
        self.assertEqual(run(["--check", "--fail-on=error", "leak.c"], cwd=root).returncode, 0)
        self.assertEqual(run(["--check", "--fail-on=hint", "clean.c"], cwd=root).returncode, 0)
        self.assertEqual(run(["--check", "--output-format=sarif", "leak.c"], cwd=root).returncode, 3)
        self.assertEqual(run(["--check", "--output-format=github", "leak.c"], cwd=root).returncode, 3)
        self.assertEqual(run(["--check", "--output-format=github", "--fail-on=none", "leak.c"], cwd=root).returncode, 0)
        self.assertEqual(run(["--check", "--output-format=github", "clean.c"], cwd=root).returncode, 0)
        # Worse than findings: a syntax error, a missing file, a file of another language.
        self.assertEqual(run(["--check", "--fail-on=warning", "leak.c", "broken.c"], cwd=root).returncode, 1)
        out = run(["--check", "leak.c", "missing.c"], cwd=root)
        self.assertEqual(out.returncode, 1)
        self.assertIn("missing.c: no such file or folder", out.stderr)
        with open(os.path.join(root, "notes.txt"), "w") as f:
            f.write("hello\n")
        self.assertEqual(run(["--check", "notes.txt"], cwd=root).returncode, 1)

    def test_github_annotations(self):
        out = run(["--check", "--output-format=github", "leak.c", "rows.py"], cwd=self.tree.root)
        lines = out.stdout.splitlines()
        self.assertTrue(lines)
        pattern = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),endLine=(\d+)"
                             r"(,col=(\d+),endColumn=(\d+))?,title=c2py ([a-z-]+)::(.+)$")
        seen = {}
        for line in lines:
            m = pattern.match(line)
            self.assertIsNotNone(m, line)
            seen[m.group(8)] = m
        self.assertEqual(seen["memory-leak"].group(2), "leak.c")
        self.assertEqual(seen["aliased-rows"].group(2), "rows.py")
        self.assertEqual(seen["aliased-rows"].group(3), "2")
        self.assertEqual(seen["aliased-rows"].group(6), str(ROWS_PY.splitlines()[1].index("[[") + 1))

    def sarif(self, *paths):
        out = run(["--check", "--output-format=sarif", *paths], cwd=self.tree.root)
        self.assertIn(out.returncode, (0, 1, 3), out.stderr)
        return out.stdout, json.loads(out.stdout)

    def test_sarif_structure(self):
        text, log = self.sarif("leak.c", "rows.py", "clean.c")
        self.assertEqual(log["version"], "2.1.0")
        (run_,) = log["runs"]
        rules = run_["tool"]["driver"]["rules"]
        self.assertEqual(run_["tool"]["driver"]["name"], "c2py-lsp")
        ids = [r["id"] for r in rules]
        self.assertEqual(len(ids), len(set(ids)))
        results = run_["results"]
        self.assertTrue(results)
        for result in results:
            self.assertEqual(rules[result["ruleIndex"]]["id"], result["ruleId"])
            self.assertIn(result["level"], ("error", "warning", "note"))
            self.assertTrue(result["message"]["text"])
            loc = result["locations"][0]["physicalLocation"]
            self.assertEqual(loc["artifactLocation"]["uriBaseId"], "SRCROOT")
            self.assertGreaterEqual(loc["region"]["startLine"], 1)
            self.assertGreaterEqual(loc["region"]["startColumn"], 1)
        rows = next(r for r in results if r["ruleId"] == "aliased-rows")
        self.assertEqual(rows["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "rows.py")
        self.assertEqual(rows["locations"][0]["physicalLocation"]["region"]["startLine"], 2)
        rule = rules[rows["ruleIndex"]]
        self.assertTrue(rule["shortDescription"]["text"])
        self.assertIn("helpUri", rule)
        root_uri = run_["originalUriBaseIds"]["SRCROOT"]["uri"]
        self.assertTrue(root_uri.startswith("file:///") and root_uri.endswith("/"))
        self.assertIn("%20", root_uri)

    def test_sarif_is_valid_against_the_schema(self):
        validator = os.path.join(SARIF_DIR, "validate.cjs")
        if not os.path.isdir(os.path.join(SARIF_DIR, "node_modules", "ajv")) or not shutil.which("node"):
            self.skipTest("the SARIF schema is not installed (scripts/setup.d/cli.sh)")
        for paths in (["leak.c", "rows.py", "clean.c"], ["broken.c"], ["clean.c"], ["leak.c", "missing.c"]):
            text, _ = self.sarif(*paths) if "missing.c" not in paths else (
                run(["--check", "--output-format=sarif", *paths], cwd=self.tree.root).stdout, None)
            check = subprocess.run(["node", validator], input=text, capture_output=True, text=True, timeout=120)
            self.assertEqual(check.returncode, 0, (paths, check.stdout, check.stderr))
        # The validator does reject a broken log.
        check = subprocess.run(["node", validator], input='{"version": "2.1.0", "runs": [{"tool": {}}]}',
                               capture_output=True, text=True, timeout=120)
        self.assertEqual(check.returncode, 1)


class FolderTest(unittest.TestCase):
    def setUp(self):
        self.tree = Tree({
            "src/a.c": LEAK_C,
            "src/b.py": ROWS_PY,
            "src/z/deep.c": CLEAN_C,
            "src/README.md": "not code\n",
            "src/generated/gen.c": LEAK_C,
            "src/tool_gen.c": LEAK_C,
            "src/keep_gen.c": CLEAN_C,
            "top.py": ROWS_PY,
            ".git/hooks/x.c": LEAK_C,
            ".venv/lib/site.py": ROWS_PY,
            "build/CMakeFiles/probe.c": LEAK_C,
            "out/CMakeCache.txt": "",
            "out/conf.c": LEAK_C,
            "node_modules/m/x.c": LEAK_C,
            "src/__pycache__/b.py": ROWS_PY,
            ".gitignore": "# generated code\ngenerated/\n*_gen.c\n!keep_gen.c\n",
        })
        self.addCleanup(self.tree.close)

    def paths(self, *args, cwd=None):
        out = run(["--check", "--json", *args], cwd=cwd or self.tree.root)
        self.assertIn(out.returncode, (0, 3), out.stderr)
        return [f["path"] for f in json.loads(out.stdout)["files"]]

    def test_folder_is_searched_in_a_stable_order(self):
        self.assertEqual(self.paths("."), ["top.py", "src/a.c", "src/b.py", "src/keep_gen.c", "src/z/deep.c"])
        self.assertEqual(self.paths("src"), ["src/a.c", "src/b.py", "src/keep_gen.c", "src/z/deep.c"])
        # A folder inside the repository honours the .gitignore above it.
        self.assertEqual(self.paths("."), self.paths("-j1", "."))
        inside = os.path.join(self.tree.root, "src")
        self.assertEqual(self.paths(".", cwd=inside), ["a.c", "b.py", "keep_gen.c", "z/deep.c"])
        # A file named is read even where a folder search would skip it; each file once.
        self.assertEqual(self.paths("src/generated/gen.c", "src", "src/a.c")[:2], ["src/generated/gen.c", "src/a.c"])
        self.assertEqual(len(self.paths("src/a.c", "src")), 4)

    def test_output_is_the_same_at_any_parallelism(self):
        for fmt in ("text", "json", "sarif", "github"):
            one = run(["--check", "--output-format", fmt, "-j1", "."], cwd=self.tree.root)
            two = run(["--check", "--output-format", fmt, "-j2", "."], cwd=self.tree.root)
            self.assertEqual(one.stdout, two.stdout, fmt)
            self.assertEqual(one.returncode, two.returncode)


if __name__ == "__main__":
    unittest.main()
