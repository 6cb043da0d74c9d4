"""What the server publishes after a sequence of edits is what a fresh open of the final text
publishes, and what `--check --json` reports for that text: on real files of the corpora, with
edits that move lines (so cached findings and rendered diagnostics are reused at new places),
change digits, and add lines with é and 😀 (UTF-16 positions). The server reuses per-finding work
between versions (the engine's unit cache, the runtime model's checkpoints, each diagnostic's
rendered text, the line index); none of it may show."""
import json
import os
import random
import shutil
import subprocess
import tempfile
import unittest

from lsp_client import BINARY, SOURCE_DIR, LspClient

CORPORA = os.path.join(SOURCE_DIR, "..", "shared", "corpora")
# Files with diagnostics of several kinds (related locations, the runtime model's
# reference-cycle) and larger ones (analysed on two workers).
FILES = [
    ("c", "juliet/testcases/CWE401_Memory_Leak/CWE401_Memory_Leak__char_calloc_01.c"),
    ("c", "juliet/testcases/CWE415_Double_Free/CWE415_Double_Free__malloc_free_char_02.c"),
    ("c", "real-c/tmux/cmd-wait-for.c"),
    ("c", "real-c/tmux/server-fn.c"),
    ("python", "real-python/TheAlgorithms/data_structures/binary_tree/red_black_tree.py"),
    ("python", "real-python/TheAlgorithms/data_structures/heap/binomial_heap.py"),
]
EDITS = 24


def utf16_position(text, offset):
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return {"line": line, "character": len(text[start:offset].encode("utf-16-le")) // 2}


def random_edit(rng, text, language):
    """(start, end, new text) in characters: a line copied below itself, a line removed, a digit
    changed, or a comment line with é and 😀 inserted."""
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    line = rng.randrange(len(starts) - 1) if len(starts) > 1 else 0
    begin = starts[line]
    end = starts[line + 1] if line + 1 < len(starts) else len(text)
    kind = rng.randrange(4)
    if kind == 0:
        return end, end, text[begin:end] if text[begin:end].endswith("\n") else "\n" + text[begin:end]
    if kind == 1:
        return begin, end, ""
    if kind == 2:
        digits = [i for i, ch in enumerate(text) if ch.isdigit()]
        if digits:
            at = rng.choice(digits)
            return at, at + 1, str((int(text[at]) + 1) % 10)
    comment = "# é 😀 moved\n" if language == "python" else "/* é 😀 moved */\n"
    return begin, begin, comment


def check_diagnostics(path):
    out = subprocess.run([BINARY, "--check", "--json", "--diagnostics-only", path], capture_output=True,
                         timeout=120).stdout
    files = json.loads(out)["files"]
    return files[0].get("diagnostics", []) if files else []


def all_hints(client, uri):
    hints = client.result("textDocument/inlayHint", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 100_000, "character": 0}}})
    for hint in hints:
        hint["data"].pop("revision", None)  # the server's count of texts: a fresh open has a new one
    return hints


class EditEquivalence(unittest.TestCase):
    def test_edited_documents_publish_what_a_fresh_open_publishes(self):
        present = [(lang, rel) for lang, rel in FILES if os.path.exists(os.path.join(CORPORA, rel))]
        if not present:
            self.skipTest("../shared/corpora is not here")
        workdir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, workdir)
        client = LspClient()
        self.addCleanup(client.close)
        client.initialize()
        rng = random.Random(14)
        published = 0
        for language, rel in present:
            with self.subTest(file=rel):
                with open(os.path.join(CORPORA, rel), encoding="utf-8", errors="replace") as f:
                    text = f.read()
                path = os.path.join(workdir, os.path.basename(rel))
                uri = "file://" + path
                client.open(uri, language, text, version=1)
                client.diagnostics(uri, version=1, timeout=30)
                version = 1
                for k in range(EDITS):
                    begin, end, new = random_edit(rng, text, language)
                    version += 1
                    client.notify("textDocument/didChange", {
                        "textDocument": {"uri": uri, "version": version},
                        "contentChanges": [{"range": {"start": utf16_position(text, begin),
                                                      "end": utf16_position(text, end)}, "text": new}]})
                    text = text[:begin] + new + text[end:]
                    if k % 3 == 2 and k < EDITS - 1:  # some versions published, some replaced before their analysis ends
                        client.diagnostics(uri, version=version, timeout=30)
                edited = client.diagnostics(uri, version=version, timeout=30)
                edited_hints = all_hints(client, uri)
                client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
                client.open(uri, language, text, version=version + 1)
                fresh = client.diagnostics(uri, version=version + 1, timeout=30)
                self.assertEqual(edited, fresh)
                self.assertEqual(edited_hints, all_hints(client, uri))
                client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                self.assertEqual(edited, check_diagnostics(path))
                published += len(edited)
        self.assertGreater(published, 0)  # the comparison saw diagnostics, not only empty lists


if __name__ == "__main__":
    unittest.main()
