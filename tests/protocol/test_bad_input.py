"""Bad input of every kind a client or a file can send. After each case the server must still
serve the other open document: every test ends by checking that a hover on it still works."""
import json
import time
import unittest

from lsp_client import LspClient, frame

GOOD_URI = "file:///work/good.c"
GOOD = "#include <stdlib.h>\nint main(void) {\n    int *arr = malloc(10 * sizeof(int));\n    free(arr);\n    return 0;\n}\n"


class BadInput(unittest.TestCase):
    def setUp(self):
        self.client = LspClient()
        self.client.initialize()
        self.client.open(GOOD_URI, "c", GOOD)
        self.client.diagnostics(GOOD_URI)

    def tearDown(self):
        try:
            self.assert_still_serving()
        finally:
            self.client.close()

    def assert_still_serving(self):
        hover = self.client.result("textDocument/hover", {"textDocument": {"uri": GOOD_URI},
                                                          "position": {"line": 2, "character": 17}}, timeout=30)
        self.assertIn("arr = [0] * 10", hover["contents"]["value"])

    def error_for(self, data):
        self.client.send_raw(data)
        return self.client.wait_for(lambda m: "error" in m and m.get("id") is None)["error"]

    def test_content_length_not_a_number(self):
        error = self.error_for(b"Content-Length: ten\r\n\r\n{}")
        self.assertEqual(error["code"], -32700)

    def test_missing_content_length(self):
        error = self.error_for(b"Content-Type: application/json\r\n\r\n")
        self.assertEqual(error["code"], -32700)
        self.assertIn("Content-Length", error["message"])

    def test_content_length_too_short_then_recovery(self):
        # The body is cut: the server reads 5 bytes of garbage, reports it, and resynchronizes.
        error = self.error_for(b'Content-Length: 5\r\n\r\n{"jso')
        self.assertEqual(error["code"], -32700)

    def test_invalid_json(self):
        error = self.error_for(frame_raw(b'{"jsonrpc": "2.0", "id": 1, "method": '))
        self.assertEqual(error["code"], -32700)

    def test_json_that_is_not_a_request(self):
        for body in (b"[1, 2, 3]", b'"hello"', b"42", b'{"jsonrpc": "2.0"}'):
            error = self.error_for(frame_raw(body))
            self.assertEqual(error["code"], -32600, body)

    def test_bad_id_type(self):
        error = self.error_for(frame_raw(b'{"jsonrpc": "2.0", "id": {"a": 1}, "method": "shutdown"}'))
        self.assertEqual(error["code"], -32600)

    def test_unknown_method_and_notification(self):
        reply = self.client.call("c2py/noSuchThing", {})
        self.assertEqual(reply["error"]["code"], -32601)
        self.client.notify("c2py/noSuchNotification", {})
        self.client.notify("$/noSuchNotification", {})
        with self.assertRaises(TimeoutError):
            self.client.wait_for(lambda m: "error" in m, timeout=0.5)

    def test_wrong_params(self):
        for params in ({"textDocument": {"uri": GOOD_URI}, "position": "here"},
                       {"textDocument": {"uri": GOOD_URI}, "position": {"line": -1, "character": 0}},
                       {"textDocument": "nope", "position": {"line": 0, "character": 0}},
                       {"position": {"line": 0, "character": 0}}):
            reply = self.client.call("textDocument/hover", params)
            self.assertEqual(reply["error"]["code"], -32602, params)
        reply = self.client.call("textDocument/inlayHint", {"textDocument": {"uri": GOOD_URI}, "range": 7})
        self.assertEqual(reply["error"]["code"], -32602)
        reply = self.client.call("inlayHint/resolve", {"label": "x"})
        self.assertEqual(reply["error"]["code"], -32602)

    def test_params_of_wrong_shape_in_notifications_are_logged(self):
        self.client.notify("textDocument/didOpen", {"textDocument": 5})
        self.client.notify("textDocument/didChange", {"textDocument": {"uri": GOOD_URI}, "contentChanges": "x"})
        log = self.client.wait_for(lambda m: m.get("method") == "window/logMessage")
        self.assertIn("textDocument", log["params"]["message"])

    def test_positions_past_the_end(self):
        for position in ({"line": 2, "character": 10_000}, {"line": 10_000, "character": 0},
                         {"line": 2**32 + 5, "character": 2**40}):
            hover = self.client.result("textDocument/hover", {"textDocument": {"uri": GOOD_URI}, "position": position})
            self.assertTrue(hover is None or "contents" in hover)
        hints = self.client.result("textDocument/inlayHint", {
            "textDocument": {"uri": GOOD_URI},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99999, "character": 99999}}})
        self.assertIn("40 B", [h["label"] for h in hints])

    def test_change_past_the_end_clamps(self):
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": GOOD_URI, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 500, "character": 0}, "end": {"line": 600, "character": 9}},
                                "text": "/* appended */\n"}]})
        self.client.diagnostics(GOOD_URI, version=2)

    def test_unknown_uri(self):
        reply = self.client.call("textDocument/hover", {"textDocument": {"uri": "file:///nowhere.c"},
                                                        "position": {"line": 0, "character": 0}})
        self.assertEqual(reply["error"]["code"], -32602)
        self.assertIn("not open", reply["error"]["message"])
        self.client.notify("textDocument/didChange", {"textDocument": {"uri": "file:///nowhere.c", "version": 2},
                                                      "contentChanges": [{"text": "x"}]})
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": "file:///nowhere.c"}})

    def test_invalid_utf8_in_a_message(self):
        body = b'{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///bad.c",' \
               b'"languageId":"c","version":1,"text":"int \xff\xfe x = 1;"}}}'
        error = self.error_for(frame_raw(body))
        self.assertEqual(error["code"], -32700)

    def test_lone_surrogate_escape(self):
        body = b'{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///bad.c",' \
               b'"languageId":"c","version":1,"text":"char *s = \\"\\ud800\\";"}}}'
        self.client.send_raw(frame_raw(body))
        # Either refused as a parse error or accepted as a document: never a crash.
        time.sleep(0.3)

    def test_huge_document(self):
        line = "int *p%d = malloc(%d * sizeof(int)); free(p%d);\n"
        text = "void f(void) {\n" + "".join(line % (i, i, i) for i in range(1_200_000)) + "}\n"
        self.assertGreater(len(text), 50_000_000)
        start = time.monotonic()
        self.client.open("file:///work/huge.c", "c", text)
        self.assert_still_serving()
        self.assertLess(time.monotonic() - start, 60)
        hover = self.client.result("textDocument/hover", {"textDocument": {"uri": "file:///work/huge.c"},
                                                          "position": {"line": 1, "character": 10}}, timeout=60)
        self.assertIsNone(hover)  # over the analysis limit: kept, not analyzed

    def test_deep_nesting_c(self):
        depth = 100_000
        text = "int f(int x) { return " + "(" * depth + "x" + ")" * depth + "; }\n" + GOOD
        self.client.open("file:///work/deep.c", "c", text)
        self.client.diagnostics("file:///work/deep.c", timeout=60)
        hover = self.client.result("textDocument/hover", {"textDocument": {"uri": "file:///work/deep.c"},
                                                          "position": {"line": 3, "character": 17}}, timeout=60)
        self.assertIn("arr = [0] * 10", hover["contents"]["value"])

    def test_deep_nesting_python(self):
        depth = 100_000
        text = "x = " + "(" * depth + "1" + ")" * depth + "\nitems = []\nitems.append(1)\n"
        self.client.open("file:///work/deep.py", "python", text)
        self.client.diagnostics("file:///work/deep.py", timeout=60)
        hints = self.client.result("textDocument/inlayHint", {
            "textDocument": {"uri": "file:///work/deep.py"},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 5, "character": 0}}}, timeout=60)
        self.assertIsInstance(hints, list)

    def test_deep_json(self):
        body = b'{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
        self.client.send_raw(frame_raw(body))
        reply = self.client.wait_for(lambda m: "error" in m and m.get("id") in (7, None))
        self.assertIn(reply["error"]["code"], (-32700, -32600, -32602))


def frame_raw(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


if __name__ == "__main__":
    unittest.main()
