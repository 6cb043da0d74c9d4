"""Each feature of the core through the real binary: diagnostics, hover, inlay hints with resolve,
code actions (quick fix and the equivalent-as-comment), settings, and the lesson data."""
import os
import unittest

from lsp_client import LspClient, SOURCE_DIR

C_URI = "file:///work/lesson.c"
PY_URI = "file:///work/lesson.py"


def read(name):
    with open(os.path.join(SOURCE_DIR, "examples", name), encoding="utf-8") as f:
        return f.read()


def offset_to_position(text, offset):
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return {"line": line, "character": len(text[start:offset].encode("utf-16-le")) // 2}


def apply_edits(text, edits):
    """Applies LSP TextEdits (UTF-16 positions) to text, last first."""
    lines = text.split("\n")

    def offset(pos):
        before = sum(len(l) + 1 for l in lines[:pos["line"]])
        line = lines[pos["line"]] if pos["line"] < len(lines) else ""
        units = line.encode("utf-16-le")[: pos["character"] * 2].decode("utf-16-le")
        return before + len(units)

    for edit in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True):
        a, b = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:a] + edit["newText"] + text[b:]
    return text


class Features(unittest.TestCase):
    def setUp(self):
        self.client = LspClient()
        self.client.initialize({"workspace": {"configuration": True}})
        self.c_text = read("lesson.c")
        self.py_text = read("lesson.py")
        self.client.open(C_URI, "c", self.c_text)
        self.client.open(PY_URI, "python", self.py_text)

    def tearDown(self):
        self.client.close()

    def test_realloc_leak_diagnostic_and_safe_fix(self):
        diagnostics = self.client.diagnostics(C_URI)
        leaks = [d for d in diagnostics if d["code"] == "realloc-leak"]
        self.assertEqual(len(leaks), 1)
        d = leaks[0]
        self.assertEqual(d["source"], "c2py")
        self.assertIn("`arr`", d["message"])
        self.assertIn("MemoryError", d["message"])
        self.assertEqual(d["data"]["idiom"], "realloc")
        self.assertIn("MM09", d["data"]["lessonPoints"])
        line = self.c_text.splitlines()[d["range"]["start"]["line"]]
        self.assertIn("arr = realloc(arr", line)

        actions = self.client.result("textDocument/codeAction", {
            "textDocument": {"uri": C_URI}, "range": d["range"], "context": {"diagnostics": [d]}})
        fixes = [a for a in actions if a["kind"] == "quickfix"]
        self.assertEqual(len(fixes), 1)
        fix = fixes[0]
        self.assertTrue(fix["isPreferred"])
        fixed = apply_edits(self.c_text, fix["edit"]["changes"][C_URI])
        self.assertIn("void *arr_grown = realloc(arr, 20 * sizeof(int));", fixed)
        self.assertIn("arr = arr_grown;", fixed)
        self.assertNotIn("arr = realloc(arr", fixed)

        # The fixed file reanalyzed: no realloc-leak any more.
        self.client.notify("textDocument/didChange", {"textDocument": {"uri": C_URI, "version": 2},
                                                      "contentChanges": [{"text": fixed}]})
        after = self.client.diagnostics(C_URI, version=2)
        self.assertEqual([d for d in after if d["code"] == "realloc-leak"], [])

    def test_hover_on_malloc_uses_the_users_names(self):
        offset = self.c_text.index("malloc(10")
        hover = self.client.result("textDocument/hover", {"textDocument": {"uri": C_URI},
                                                          "position": offset_to_position(self.c_text, offset + 2)})
        text = hover["contents"]["value"]
        self.assertEqual(hover["contents"]["kind"], "markdown")
        self.assertIn("arr = [0] * 10", text)
        self.assertIn("free(arr);", text)
        self.assertIn("```python", text)
        self.assertIn("MM07", text)
        self.assertLessEqual(len(text.splitlines()), 25)

    def test_hover_on_append_shows_the_c_side(self):
        offset = self.py_text.index("append(1)")
        hover = self.client.result("textDocument/hover", {"textDocument": {"uri": PY_URI},
                                                          "position": offset_to_position(self.py_text, offset)})
        text = hover["contents"]["value"]
        self.assertIn("```c", text)
        self.assertIn("realloc(arr", text)
        self.assertIn("arr[len++] = 1;", text)

    def test_hover_on_plain_code_is_null(self):
        hover = self.client.result("textDocument/hover", {"textDocument": {"uri": C_URI},
                                                          "position": {"line": 0, "character": 0}})
        self.assertIsNone(hover)

    def test_inlay_hints_and_resolve(self):
        end = offset_to_position(self.c_text, len(self.c_text))
        hints = self.client.result("textDocument/inlayHint", {
            "textDocument": {"uri": C_URI}, "range": {"start": {"line": 0, "character": 0}, "end": end}})
        labels = [h["label"] for h in hints]
        self.assertIn("40 B", labels)
        self.assertIn("≈ [0] * 10", labels)
        hint = next(h for h in hints if h["label"] == "40 B")
        self.assertEqual(hint["data"]["idiom"], "malloc")
        resolved = self.client.result("inlayHint/resolve", hint)
        self.assertIn("arr = [0] * 10", resolved["tooltip"]["value"])

        end = offset_to_position(self.py_text, len(self.py_text))
        hints = self.client.result("textDocument/inlayHint", {
            "textDocument": {"uri": PY_URI}, "range": {"start": {"line": 0, "character": 0}, "end": end}})
        self.assertIn("cap 0 → 4", [h["label"] for h in hints])

    def test_inlay_hint_kinds_follow_settings(self):
        self.client.notify("workspace/didChangeConfiguration",
                           {"settings": {"c2py": {"inlayHints": {"allocations": False}}}})
        end = offset_to_position(self.c_text, len(self.c_text))
        # The setting applies to the next request; poll until it has.
        for _ in range(50):
            hints = self.client.result("textDocument/inlayHint", {
                "textDocument": {"uri": C_URI}, "range": {"start": {"line": 0, "character": 0}, "end": end}})
            if "40 B" not in [h["label"] for h in hints]:
                break
        labels = [h["label"] for h in hints]
        self.assertNotIn("40 B", labels)
        self.assertIn("≈ [0] * 10", labels)

    def test_null_configuration_keeps_initialization_options(self):
        client = LspClient()
        try:
            client.configuration = None  # the client has no `c2py` section
            client.initialize({"workspace": {"configuration": True}},
                              options={"inlayHints": {"allocations": False}})
            client.open(C_URI, "c", self.c_text)
            client.wait_for(lambda m: m.get("method") == "workspace/configuration" or
                            m.get("method") == "textDocument/publishDiagnostics")
            client.diagnostics(C_URI)
            end = offset_to_position(self.c_text, len(self.c_text))
            hints = client.result("textDocument/inlayHint", {
                "textDocument": {"uri": C_URI}, "range": {"start": {"line": 0, "character": 0}, "end": end}})
            self.assertNotIn("40 B", [h["label"] for h in hints])
        finally:
            client.close()

    def test_diagnostics_can_be_disabled(self):
        self.client.diagnostics(C_URI)
        self.client.notify("workspace/didChangeConfiguration", {"settings": {"c2py": {"diagnostics": {"enable": False}}}})
        self.assertEqual(self.client.diagnostics(C_URI), [])

    def test_bad_setting_is_reported_and_defaults_kept(self):
        self.client.notify("workspace/didChangeConfiguration", {"settings": {"c2py": {"pythonVersion": 3.9}}})
        message = self.client.wait_for(lambda m: m.get("method") == "window/logMessage")
        self.assertIn("pythonVersion", message["params"]["message"])

    def test_equivalent_as_comment_actions(self):
        offset = self.c_text.index("malloc(10")
        pos = offset_to_position(self.c_text, offset)
        actions = self.client.result("textDocument/codeAction", {
            "textDocument": {"uri": C_URI}, "range": {"start": pos, "end": pos}, "context": {"diagnostics": []}})
        comment = [a for a in actions if a["title"] == "Insert the Python equivalent as a comment"]
        self.assertEqual(len(comment), 1)
        self.assertEqual(comment[0]["kind"], "refactor.rewrite")
        fixed = apply_edits(self.c_text, comment[0]["edit"]["changes"][C_URI])
        self.assertIn("    // Python: arr = [0] * 10\n", fixed)
        self.assertLess(fixed.index("// Python: arr = [0] * 10"), fixed.index("int *arr = malloc"))
        self.assertEqual(fixed.count("int *arr = malloc"), 1)

        offset = self.py_text.index("arr.append(1)")
        pos = offset_to_position(self.py_text, offset + 5)
        actions = self.client.result("textDocument/codeAction", {
            "textDocument": {"uri": PY_URI}, "range": {"start": pos, "end": pos}, "context": {"diagnostics": []}})
        self.assertIn("Insert the C equivalent as a comment", [a["title"] for a in actions])

    def test_fix_all_applies_safe_fixes(self):
        actions = self.client.result("textDocument/codeAction", {
            "textDocument": {"uri": C_URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]}})
        self.assertEqual([a["kind"] for a in actions], ["source.fixAll.c2py"])
        fixed = apply_edits(self.c_text, actions[0]["edit"]["changes"][C_URI])
        self.assertIn("arr = arr_grown;", fixed)

    def test_cancel_request(self):
        id = self.client.request("textDocument/hover", {"textDocument": {"uri": C_URI}, "position": {"line": 10, "character": 20}})
        self.client.notify("$/cancelRequest", {"id": id})
        reply = self.client.response(id)
        # Either the cancellation won (-32800) or the hover was already answered.
        if "error" in reply:
            self.assertEqual(reply["error"]["code"], -32800)
        # Exactly one reply per request.
        with self.assertRaises(TimeoutError):
            self.client.wait_for(lambda m: m.get("id") == id, timeout=0.5)


if __name__ == "__main__":
    unittest.main()
