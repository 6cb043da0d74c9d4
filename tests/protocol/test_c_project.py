"""The project around a C file (issue 11), through the real binary: headers found through
compile_flags.txt, `--check -I/-D`, the `c.macros` setting, and an open header's text over the
disk's."""
import json
import os
import pathlib
import subprocess
import tempfile
import unittest

from lsp_client import BINARY, LspClient

MAIN = """#include <stdlib.h>
#include <lib.h>
void f(void) {
  char *p = malloc(4);
  if (!p) return;
  show(p);
}
void g(void) {
  char *q = malloc(4);
  if (!q) return;
  free(q);
  FREE_IT(q);
}
"""


def codes(diagnostics):
    return sorted(d["code"] for d in diagnostics if d.get("code") in ("memory-leak", "double-free"))


class CProjectTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.root = pathlib.Path(self.dir.name)
        (self.root / "inc").mkdir()
        (self.root / "inc" / "lib.h").write_text("void show(const char *s);\n")
        (self.root / "src").mkdir()
        self.main = self.root / "src" / "main.c"
        self.main.write_text(MAIN)

    def tearDown(self):
        self.dir.cleanup()

    def check(self, *args):
        out = subprocess.run([BINARY, "--check", "--json", "--diagnostics-only", *args, str(self.main)],
                             capture_output=True, text=True, timeout=60)
        return codes(json.loads(out.stdout)["files"][0]["diagnostics"])

    def test_check_include_folder_and_macros(self):
        # Alone, `show` is unknown and may keep the block; with its header, it only reads it.
        self.assertEqual(self.check(), [])
        self.assertEqual(self.check("-I", str(self.root / "inc")), ["memory-leak"])
        self.assertEqual(self.check("-I", str(self.root / "inc"), "-DFREE_IT(x)=free(x)"), ["double-free", "memory-leak"])

    def test_compile_flags_txt_is_found_above_the_file(self):
        (self.root / "compile_flags.txt").write_text("-Iinc\n-DFREE_IT(x)=free(x)\n")
        self.assertEqual(self.check(), ["double-free", "memory-leak"])

    def test_editor_settings_and_open_header(self):
        (self.root / "compile_flags.txt").write_text("-Iinc\n")
        client = LspClient()
        settings = {"c": {"macros": ["FREE_IT(x)=free(x)"]}}
        client.configuration = settings

        def published(uri, expected):
            # The server may publish more than once (a settings answer republishes): wait for these.
            message = client.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                      and m["params"]["uri"] == uri and codes(m["params"]["diagnostics"]) == expected)
            return codes(message["params"]["diagnostics"])

        try:
            client.initialize(options=settings)
            uri = self.main.as_uri()
            client.open(uri, "c", MAIN)
            self.assertEqual(published(uri, ["double-free", "memory-leak"]), ["double-free", "memory-leak"])
            # The header as the editor holds it: `show` now takes a non-const pointer (it may keep
            # the block), and the next analysis of main.c reads that text, not the disk's.
            header = (self.root / "inc" / "lib.h").as_uri()
            client.open(header, "c", "void show(char *s);\n")
            # Opening (or editing) the header analyses main.c again, with the editor's text.
            self.assertEqual(published(uri, ["double-free"]), ["double-free"])
            client.notify("textDocument/didChange", {"textDocument": {"uri": header, "version": 2},
                                                     "contentChanges": [{"text": "void show(const char *s);\n"}]})
            self.assertEqual(published(uri, ["double-free", "memory-leak"]), ["double-free", "memory-leak"])
        finally:
            client.close()


if __name__ == "__main__":
    unittest.main()
