"""Emacs (Debian's emacs-nox with elpa-eglot) in batch mode, configured by the README's eglot
snippet as a user would paste it: the server starts for C and Python buffers, flymake gets our
diagnostic, the hover uses the user's names, the code actions hold the quick fix and applying it
changes the buffer. emacs/drive.el records; this file asserts.

Environment: C2PY_LSP (its folder goes first on PATH: the snippet runs `c2py-lsp`),
C2PY_SOURCE_DIR, C2PY_E2E_OUT_DIR.
"""
import os
import re
import shutil
import subprocess
import unittest

from e2e_common import examples_work_dir

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("C2PY_SOURCE_DIR", os.path.join(HERE, "..", ".."))
BINARY = os.environ.get("C2PY_LSP", os.path.join(SOURCE_DIR, "build", "release", "c2py-lsp"))
EMACS = shutil.which("emacs")


class EmacsEglot(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not EMACS:
            raise AssertionError("emacs not found (scripts/setup.d/editors.sh installs emacs-nox and elpa-eglot)")
        if os.path.basename(BINARY) != "c2py-lsp":
            raise unittest.SkipTest("the snippet runs `c2py-lsp` from PATH; C2PY_LSP is named %s" % BINARY)
        work = examples_work_dir("emacs")
        with open(os.path.join(SOURCE_DIR, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        section = readme[readme.index("### Emacs (eglot)"):]
        with open(os.path.join(work, "snippet.el"), "w", encoding="utf-8") as f:
            f.write(re.search(r"```elisp\n(.*?)```", section, re.S).group(1))
        out = os.path.join(work, "out.txt")
        env = {**os.environ, "HOME": work, "C2PY_EMACS_OUT": out,
               "PATH": os.path.dirname(os.path.abspath(BINARY)) + os.pathsep + os.environ.get("PATH", "")}
        cls.proc = subprocess.run([EMACS, "-Q", "--batch", "-l", os.path.join(HERE, "emacs", "drive.el")], cwd=work,
                                  env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=180)
        if not os.path.exists(out):
            raise AssertionError("Emacs wrote nothing:\n" + cls.proc.stderr.decode(errors="replace")[-3000:])
        cls.seen = {}
        with open(out, encoding="utf-8") as f:
            for line in f:
                key, _, value = line.rstrip("\n").partition(": ")
                cls.seen.setdefault(key, []).append(value)

    def one(self, key):
        self.assertIn(key, self.seen, self.seen)
        return self.seen[key][0]

    def test_no_error(self):
        self.assertNotIn("error", self.seen, self.seen.get("error"))

    def test_the_snippet_starts_the_server(self):
        self.assertEqual(self.one("server"), '("c2py-lsp" "--stdio")')
        self.assertEqual(self.one("configuration"), '(:c2py (:pythonVersion "3.12"))')

    def test_flymake_shows_our_diagnostic(self):
        self.assertTrue(any("realloc-leak" in d and "`arr`" in d for d in self.seen.get("diagnostic", [])), self.seen)

    def test_hover_uses_the_users_names(self):
        hover = self.one("hover")
        self.assertIn("malloc", hover)
        self.assertIn("free(arr)", hover)

    def test_hover_renders_through_markdown_mode(self):
        self.assertEqual(self.one("markdown-mode"), "t", "elpa-markdown-mode is not installed (scripts/setup.d/editors.sh)")
        shown = self.one("hover-shown").replace("\\n", "\n")
        self.assertIn("free(arr)", shown)
        self.assertIn("Reference", shown)
        for markup in ("```", "**", "](http"):
            self.assertNotIn(markup, shown)
        self.assertNotRegex(shown, r"`\w")

    def test_the_snippet_hooks_the_tree_sitter_modes_too(self):
        self.assertEqual(self.one("hooks"), "(t t t t)")

    def test_quick_fix_offered_and_applied(self):
        self.assertIn("Resize `arr` through a temporary", self.seen.get("action", []))
        after = self.one("after-fix").replace("\\n", "\n")
        self.assertNotIn("arr = realloc(arr", after)
        self.assertRegex(after, r"(\w+) = realloc\(arr, 20 \* sizeof\(int\)\);")
        self.assertIn("arr = arr_grown;", after)

    def test_python_buffers_use_it_too(self):
        self.assertEqual(self.one("python-server"), "t")


if __name__ == "__main__":
    unittest.main()
