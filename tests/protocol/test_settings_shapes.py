"""Both shapes of initializationOptions that clients send: the c2py section itself (VS Code,
Neovim), or a whole configuration holding it under "c2py" (Helix's `config` table)."""
import os
import queue
import unittest

from lsp_client import LspClient, SOURCE_DIR

C_URI = "file:///work/lesson.c"


def lesson_c():
    with open(os.path.join(SOURCE_DIR, "examples", "lesson.c"), encoding="utf-8") as f:
        return f.read()


class SettingsShapesTest(unittest.TestCase):
    def hints_with(self, options):
        client = LspClient()
        client.configuration = None  # no workspace/configuration answer: initializationOptions stand
        try:
            client.initialize(options=options)
            text = lesson_c()
            client.open(C_URI, "c", text)
            client.diagnostics(C_URI)
            end = {"line": text.count("\n") + 1, "character": 0}
            hints = client.result("textDocument/inlayHint", {
                "textDocument": {"uri": C_URI}, "range": {"start": {"line": 0, "character": 0}, "end": end}})
            # A problem with the settings is logged while initialize is handled, so before the
            # answers above: it is among the messages already read.
            while True:
                try:
                    client.pending.append(client.messages.get_nowait())
                except queue.Empty:
                    break
            logs = [m for m in client.pending if m.get("method") == "window/logMessage"]
            return [h["label"] for h in hints], [m["params"]["message"] for m in logs]
        finally:
            client.close()

    def test_section_itself(self):
        labels, logs = self.hints_with({"inlayHints": {"allocations": False}})
        self.assertNotIn("40 B", labels)
        self.assertFalse([m for m in logs if "setting" in m], logs)

    def test_section_nested_under_c2py(self):
        labels, logs = self.hints_with({"c2py": {"inlayHints": {"allocations": False}}})
        self.assertNotIn("40 B", labels)
        self.assertFalse([m for m in logs if "unknown setting" in m], logs)
        labels, _ = self.hints_with({"c2py": {"inlayHints": {"allocations": True}}})
        self.assertIn("40 B", labels)

    def test_nested_section_that_is_not_an_object_is_reported(self):
        _, logs = self.hints_with({"c2py": 3})
        self.assertTrue([m for m in logs if "c2py.c2py" in m], logs)


if __name__ == "__main__":
    unittest.main()
