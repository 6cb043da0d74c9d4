import unittest

from lsp_client import LspClient


class Lifecycle(unittest.TestCase):
    def setUp(self):
        self.client = LspClient()

    def tearDown(self):
        self.client.close()

    def test_initialize_advertises_what_the_server_does(self):
        result = self.client.initialize()
        caps = result["capabilities"]
        self.assertEqual(caps["positionEncoding"], "utf-16")
        self.assertEqual(caps["textDocumentSync"]["change"], 2)
        self.assertTrue(caps["hoverProvider"])
        self.assertTrue(caps["inlayHintProvider"]["resolveProvider"])
        self.assertIn("quickfix", caps["codeActionProvider"]["codeActionKinds"])
        self.assertEqual(result["serverInfo"]["name"], "c2py-lsp")
        self.assertEqual(self.client.shutdown_and_exit(), 0)

    def test_exit_without_shutdown_is_status_1(self):
        self.client.initialize()
        self.client.notify("exit")
        self.assertEqual(self.client.proc.wait(10), 1)

    def test_request_before_initialize_is_refused(self):
        reply = self.client.call("textDocument/hover", {"textDocument": {"uri": "file:///a.c"},
                                                        "position": {"line": 0, "character": 0}})
        self.assertEqual(reply["error"]["code"], -32002)
        self.client.initialize()
        self.assertEqual(self.client.shutdown_and_exit(), 0)

    def test_request_after_shutdown_is_invalid(self):
        self.client.initialize()
        self.client.result("shutdown")
        reply = self.client.call("textDocument/hover", {"textDocument": {"uri": "file:///a.c"},
                                                        "position": {"line": 0, "character": 0}})
        self.assertEqual(reply["error"]["code"], -32600)
        self.client.notify("exit")
        self.assertEqual(self.client.proc.wait(10), 0)

    def test_utf8_is_chosen_when_offered(self):
        result = self.client.initialize({"general": {"positionEncodings": ["utf-8", "utf-16"]}})
        self.assertEqual(result["capabilities"]["positionEncoding"], "utf-8")

    def test_version_and_help(self):
        import subprocess
        from lsp_client import BINARY
        out = subprocess.run([BINARY, "--version"], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0)
        self.assertIn("c2py-lsp", out.stdout)
        out = subprocess.run([BINARY, "--help"], capture_output=True, text=True)
        self.assertIn("--check", out.stdout)
        out = subprocess.run([BINARY, "--bogus"], capture_output=True, text=True)
        self.assertEqual(out.returncode, 2)


if __name__ == "__main__":
    unittest.main()
