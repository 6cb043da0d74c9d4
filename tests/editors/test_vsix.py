"""The VS Code extension's package, as built by `npm run package` (ctest: editors.vsix.package).

Checks what a user gets from the .vsix without starting VS Code: the manifest contributes every
setting of design.md's `c2py` section with a description and the server's default, the commands,
activation on C and Python; the package holds the bundle, the heap view's page script and style,
the lesson and an executable server; and the heap view keeps to its security rules (strict CSP in
the page it builds, user text never inserted as HTML).

Environment: C2PY_VSIX (the built package), C2PY_SOURCE_DIR.
"""
import json
import os
import re
import unittest
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("C2PY_SOURCE_DIR", os.path.join(HERE, "..", ".."))
VSIX = os.environ.get("C2PY_VSIX", "")

# design.md, "Settings (section c2py)", with the server's defaults (server/settings.hpp).
DESIGN_SETTINGS = {
    "c2py.pythonVersion": ("string", "3.12"),
    "c2py.inlayHints.allocations": ("boolean", True),
    "c2py.inlayHints.pythonEquivalents": ("boolean", True),
    "c2py.inlayHints.refcounts": ("boolean", True),
    "c2py.inlayHints.lifetimes": ("boolean", True),
    "c2py.inlayHints.sizes": ("boolean", True),
    "c2py.diagnostics.enable": ("boolean", True),
    "c2py.knowledgePaths": ("array", []),
    "c2py.model.maxSteps": ("integer", 100000),
    "c2py.c.macros": ("array", []),
    "c2py.c.includePaths": ("array", []),
}


class VsixContents(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.isfile(VSIX):
            raise AssertionError("no .vsix at C2PY_VSIX=%r (built by the ctest editors.vsix.package)" % VSIX)
        cls.zip = zipfile.ZipFile(VSIX)
        cls.names = set(cls.zip.namelist())
        cls.manifest = json.loads(cls.zip.read("extension/package.json"))

    def read(self, name):
        return self.zip.read(name).decode("utf-8")

    def test_files(self):
        for name in ["extension/dist/extension.js", "extension/dist/webview.js", "extension/media/heapView.css",
                     "extension/lesson/lesson.c", "extension/lesson/lesson.py", "extension/LICENSE.txt",
                     "extension/readme.md", "extension/server/c2py-lsp"]:
            self.assertIn(name, self.names)
        # Sources, node_modules and tests stay out: the bundle holds what runs.
        self.assertFalse([n for n in self.names if "/node_modules/" in n or n.endswith(".ts") or "/src/" in n])

    def test_shipped_server_is_executable(self):
        mode = self.zip.getinfo("extension/server/c2py-lsp").external_attr >> 16
        self.assertTrue(mode & 0o111, oct(mode))

    def test_shipped_server_is_stripped_and_the_platform_declared(self):
        import subprocess
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            binary = self.zip.extract("extension/server/c2py-lsp", tmp)
            sections = subprocess.run(["readelf", "-S", binary], capture_output=True, text=True, check=True).stdout
            self.assertNotIn(".symtab", sections)
        manifest = self.zip.read("extension.vsixmanifest").decode()
        self.assertIn('TargetPlatform="linux-x64"', manifest)

    def test_activation_and_commands(self):
        self.assertEqual(sorted(self.manifest["activationEvents"]), ["onLanguage:c", "onLanguage:python"])
        self.assertEqual(self.manifest["main"], "./dist/extension.js")
        commands = {c["command"] for c in self.manifest["contributes"]["commands"]}
        self.assertLessEqual({"c2py.restartServer", "c2py.showHeapView", "c2py.openLesson"}, commands)
        bundle = self.read("extension/dist/extension.js")
        for command in commands:
            self.assertIn(command, bundle)

    def test_every_design_setting_with_description_and_default(self):
        properties = self.manifest["contributes"]["configuration"]["properties"]
        for key, (kind, default) in DESIGN_SETTINGS.items():
            with self.subTest(key):
                self.assertIn(key, properties)
                self.assertEqual(properties[key]["type"], kind)
                self.assertEqual(properties[key]["default"], default)
                self.assertTrue(properties[key].get("description") or properties[key].get("markdownDescription"))
        self.assertEqual(properties["c2py.pythonVersion"]["enum"], ["3.11", "3.12", "3.13"])
        self.assertIn("c2py.serverPath", properties)

    def test_heap_view_page_is_strict(self):
        bundle = self.read("extension/dist/extension.js")
        self.assertIn("Content-Security-Policy", bundle)
        self.assertIn("default-src 'none'", bundle)
        self.assertNotIn("unsafe-inline", bundle)
        self.assertNotIn("unsafe-eval", bundle)
        page = self.read("extension/dist/webview.js")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            self.assertNotIn(sink, page)
        self.assertIn("textContent", page)
        css = self.read("extension/media/heapView.css")
        self.assertNotRegex(css, r"url\(\s*['\"]?https?:")

    def test_lesson_is_the_examples(self):
        for name in ("lesson.c", "lesson.py"):
            with open(os.path.join(SOURCE_DIR, "examples", name), encoding="utf-8") as f:
                self.assertEqual(self.read("extension/lesson/" + name), f.read())


if __name__ == "__main__":
    unittest.main()
