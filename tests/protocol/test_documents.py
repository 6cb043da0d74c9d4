"""Document sync and position encodings: incremental edits of every shape must leave the server
with exactly the text a fresh open would give, and positions on lines with é, 中 and emoji must
land on the same characters under UTF-16, UTF-8 and UTF-32."""
import random
import unittest

from lsp_client import LspClient

URI = "file:///work/doc.c"
PREFIX = '    /* é 中 😀 */ char *t = "😀😀"; '
TEXT = ("#include <stdlib.h>\n"
        "int main(void) {\n"
        + PREFIX + "int *arr = malloc(10 * sizeof(int));\n"
        "    arr = realloc(arr, 20 * sizeof(int));\n"
        "    free(arr);\n"
        "    return 0;\n"
        "}\n")


def units(s, encoding):
    if encoding == "utf-8":
        return len(s.encode("utf-8"))
    if encoding == "utf-16":
        return len(s.encode("utf-16-le")) // 2
    return len(s)


def position(text, offset, encoding):
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return {"line": line, "character": units(text[start:offset], encoding)}


def everything(client, uri, text, version):
    """What an editor shows: diagnostics and inlay hints, for comparing two server states."""
    diagnostics = client.diagnostics(uri, version=version)
    hints = client.result("textDocument/inlayHint", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 10_000, "character": 0}}})
    for h in hints:
        h.get("data", {}).pop("version", None)
        h.get("data", {}).pop("uri", None)
    return [(d["code"], d["range"]) for d in diagnostics], [(h["label"], h["position"]) for h in hints]


class Encodings(unittest.TestCase):
    def check(self, offered, expected):
        client = LspClient()
        try:
            result = client.initialize({"general": {"positionEncodings": offered}} if offered else {})
            self.assertEqual(result["capabilities"]["positionEncoding"], expected)
            client.open(URI, "c", TEXT)
            diagnostics = client.diagnostics(URI)
            leak = next(d for d in diagnostics if d["code"] == "realloc-leak")
            self.assertEqual(leak["range"]["start"], position(TEXT, TEXT.index("arr = realloc"), expected))
            malloc_at = TEXT.index("malloc(10")
            hover = client.result("textDocument/hover", {"textDocument": {"uri": URI},
                                                         "position": position(TEXT, malloc_at, expected)})
            self.assertIsNotNone(hover, expected)
            self.assertEqual(hover["range"]["start"], position(TEXT, malloc_at, expected))
            # One unit before malloc is the space: no hover.
            before = position(TEXT, malloc_at - 1, expected)
            self.assertIsNone(client.result("textDocument/hover", {"textDocument": {"uri": URI}, "position": before}))
            hints = client.result("textDocument/inlayHint", {"textDocument": {"uri": URI},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}})
            bytes_hint = next(h for h in hints if h["label"] == "40 B")
            call_end = TEXT.index("sizeof(int));") + len("sizeof(int))")
            self.assertEqual(bytes_hint["position"], position(TEXT, call_end, expected))
        finally:
            client.close()

    def test_utf16_default(self):
        self.check(None, "utf-16")

    def test_utf8(self):
        self.check(["utf-8"], "utf-8")

    def test_utf32(self):
        self.check(["utf-32", "utf-16"], "utf-32")

    def test_unknown_offer_falls_back_to_utf16(self):
        self.check(["ebcdic"], "utf-16")

    def test_position_inside_a_surrogate_pair(self):
        client = LspClient()
        try:
            client.initialize()
            client.open(URI, "c", TEXT)
            client.diagnostics(URI)
            emoji = TEXT.index("😀")
            pos = position(TEXT, emoji, "utf-16")
            pos["character"] += 1  # between the two halves
            hover = client.result("textDocument/hover", {"textDocument": {"uri": URI}, "position": pos})
            self.assertIsNone(hover)
        finally:
            client.close()


class IncrementalEdits(unittest.TestCase):
    def setUp(self):
        self.client = LspClient()
        self.client.initialize()
        self.text = TEXT
        self.version = 1
        self.client.open(URI, "c", self.text)

    def tearDown(self):
        self.client.close()

    def edit(self, *changes):
        """changes: (start_offset, end_offset, new_text) applied in order, each to the previous result."""
        content = []
        for start, end, new in changes:
            content.append({"range": {"start": position(self.text, start, "utf-16"),
                                      "end": position(self.text, end, "utf-16")}, "text": new})
            self.text = self.text[:start] + new + self.text[end:]
        self.version += 1
        self.client.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": self.version},
                                                      "contentChanges": content})

    def assert_same_as_fresh_open(self):
        incremental = everything(self.client, URI, self.text, self.version)
        fresh = LspClient()
        try:
            fresh.initialize()
            fresh.open(URI, "c", self.text, version=self.version)
            self.assertEqual(incremental, everything(fresh, URI, self.text, self.version))
        finally:
            fresh.close()
        return incremental

    def test_insert(self):
        at = self.text.index("    free(arr);")
        self.edit((at, at, "    char *s = malloc(16);\n"))
        diagnostics, hints = self.assert_same_as_fresh_open()
        self.assertIn("16 B", [label for label, _ in hints])

    def test_delete(self):
        start = self.text.index("    arr = realloc")
        end = self.text.index("    free(arr);")
        self.edit((start, end, ""))
        diagnostics, _ = self.assert_same_as_fresh_open()
        self.assertEqual([c for c, _ in diagnostics if c == "realloc-leak"], [])

    def test_multiline_replace(self):
        start = self.text.index("int main")
        end = self.text.index("    free(arr);")
        self.edit((start, end, "int main(void) {\n    int *arr = malloc(2 * sizeof(int));\n"
                               "    arr = realloc(arr, 99);\n"))
        diagnostics, hints = self.assert_same_as_fresh_open()
        self.assertIn("8 B", [label for label, _ in hints])
        self.assertIn("realloc-leak", [c for c, _ in diagnostics])

    def test_several_changes_in_one_notification(self):
        a = self.text.index("10 * sizeof")
        changes = [(a, a + 2, "12")]
        b = self.text.index("20 * sizeof") 
        changes.append((b, b + 2, "24"))
        changes.append((0, 0, "/* 😀 first line */\n"))
        self.edit(*changes)
        _, hints = self.assert_same_as_fresh_open()
        self.assertIn("48 B", [label for label, _ in hints])
        self.assertIn("96 B", [label for label, _ in hints])

    def test_full_text_replacement(self):
        self.version += 1
        self.text = "void g(void) { char *p = malloc(3); free(p); }\n"
        self.client.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": self.version},
                                                      "contentChanges": [{"text": self.text}]})
        _, hints = self.assert_same_as_fresh_open()
        self.assertIn("3 B", [label for label, _ in hints])

    def test_random_edits(self):
        rng = random.Random(6)
        pieces = ["p = realloc(p, 8);", "\n", "é", "中", "😀", "malloc(4)", "{", "}", "(", " ", "int *q = malloc(5);\n"]
        for _ in range(150):
            start = rng.randint(0, len(self.text))
            end = min(len(self.text), start + rng.randint(0, 12))
            # Never split a character (an editor cannot either).
            self.edit((start, end, rng.choice(pieces) if rng.random() < 0.8 else ""))
        self.assert_same_as_fresh_open()

    def test_close_and_reopen(self):
        self.client.diagnostics(URI)
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": URI}})
        self.assertEqual(self.client.diagnostics(URI), [])
        reply = self.client.call("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}})
        self.assertEqual(reply["error"]["code"], -32602)
        self.client.open(URI, "c", self.text, version=7)
        self.version = 7
        self.client.diagnostics(URI, version=7)

    def test_language_from_extension_when_id_is_unknown(self):
        self.client.notify("textDocument/didOpen", {"textDocument": {
            "uri": "file:///work/x.py", "languageId": "plaintext", "version": 1, "text": "a = []\na.append(1)\n"}})
        hints = self.client.result("textDocument/inlayHint", {"textDocument": {"uri": "file:///work/x.py"},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}}})
        self.assertIn("cap 0 → 4", [h["label"] for h in hints])


if __name__ == "__main__":
    unittest.main()
