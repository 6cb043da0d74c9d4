"""Every quick fix c2py-lsp offers on the snippets yields code that parses (Python: compile; C:
the C compiler), and runs with the same output as before, unless the snippet says the fix is
meant to change it ("# output: differs"). Each snippet lists the diagnostic codes it expects."""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

from check_json import apply, check

HERE = os.path.dirname(os.path.abspath(__file__))
SNIPPETS = sorted(glob.glob(os.path.join(HERE, "snippets", "*.py")) + glob.glob(os.path.join(HERE, "snippets", "*.c")))
CC = shutil.which("cc") or shutil.which("gcc")


def run_python(path):
    return subprocess.run([sys.executable, path], capture_output=True, text=True, timeout=60)


def run_c(path, workdir):
    exe = os.path.join(workdir, "a.out")
    build = subprocess.run([CC, "-std=c11", "-Wall", "-Werror", "-o", exe, path], capture_output=True, text=True)
    if build.returncode != 0:
        return build
    return subprocess.run([exe], capture_output=True, text=True, timeout=60)


class Fixes(unittest.TestCase):
    def test_snippets(self):
        self.assertGreaterEqual(len(SNIPPETS), 6)
        results = check(*SNIPPETS)
        for path, result in zip(SNIPPETS, results):
            with self.subTest(snippet=os.path.basename(path)):
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                expected = re.search(r"expect: ([\w, -]+)", text).group(1).split(", ")
                codes = [d["code"] for d in result["diagnostics"]]
                self.assertEqual(sorted(codes), sorted(c.strip() for c in expected))
                differs = "# output: differs" in text
                fixes = [a for a in result["codeActions"] if a["kind"] == "quickfix"]
                self.assertTrue(fixes, "no quick fix offered")
                for action in fixes:
                    self.check_fix(path, text, action, differs)

    def check_fix(self, path, text, action, differs):
        edits = next(iter(action["edit"]["changes"].values()))
        fixed = apply(text, edits)
        title = action["title"]
        self.assertEqual(action["isPreferred"], "(unsafe" not in title and "(example only" not in title, title)
        with tempfile.TemporaryDirectory() as tmp:
            before_path = os.path.join(tmp, "before" + os.path.splitext(path)[1])
            after_path = os.path.join(tmp, "after" + os.path.splitext(path)[1])
            with open(before_path, "w", encoding="utf-8") as f:
                f.write(text)
            with open(after_path, "w", encoding="utf-8") as f:
                f.write(fixed)
            if path.endswith(".py"):
                compile(fixed, after_path, "exec")  # parses
                before, after = run_python(before_path), run_python(after_path)
            else:
                if CC is None:
                    self.skipTest("no C compiler")
                before, after = run_c(before_path, tmp), run_c(after_path, tmp)
            self.assertEqual(before.returncode, 0, before.stderr)
            self.assertEqual(after.returncode, 0, f"{title}\n{fixed}\n{after.stderr}")
            if differs:
                self.assertNotEqual(before.stdout, after.stdout, title)
            else:
                self.assertEqual(before.stdout, after.stdout, f"{title}\n{fixed}")
            # The fixed code no longer has the diagnostic the fix was for.
            code = action["diagnostics"][0]["code"]
            line = action["diagnostics"][0]["range"]["start"]["line"]
            again = check(after_path)[0]["diagnostics"]
            self.assertFalse([d for d in again if d["code"] == code and d["range"]["start"]["line"] == line],
                             f"{title}: still flagged\n{fixed}")


if __name__ == "__main__":
    unittest.main()
