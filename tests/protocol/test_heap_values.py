"""The `value` field of c2py/heapSnapshot objects, checked against the repr() that each installed
CPython prints for the same program: what the heap view draws inline must be what Python shows."""
import glob
import json
import subprocess
import sys
import unittest

from lsp_client import LspClient

URI = "file:///work/values.py"

# Each line binds one name; the names are what the test looks up in the snapshot.
EXPRESSIONS = [
    "7", "-5", "256", "257", "10 ** 18", "-(2 ** 62) + 1", "True", "False", "None",
    "0.1", "1.0", "-0.0", "2.5e-05", "1e16", "1e15", "123456789.125", "1 / 3", "0.0001",
    "1e-4 / 10", "2.0 ** 60", "float('inf')", "-float('inf')", "3.14159",
    "'hello'", "\"it's\"", "'a\\nb\\tc'", "'back\\\\slash'", "'\\x00\\x7f'", "''",
    "'q' * 64", "'q' * 65", "'caf\\u00e9'", "[1, 2]", "(1, 'x')",
]


def interpreters():
    found = []
    for path in sorted(set(glob.glob("/root/.pyenv/versions/3.1[123]*/bin/python3") + [sys.executable])):
        try:
            version = subprocess.run([path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                     capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            continue
        if version in ("3.11", "3.12", "3.13") and version not in [v for v, _ in found]:
            found.append((version, path))
    return found


class HeapValues(unittest.TestCase):
    def test_values_match_cpython_repr(self):
        program = "".join("v%d = %s\n" % (i, e) for i, e in enumerate(EXPRESSIONS)) + "end = 0\n"
        pythons = interpreters()
        self.assertTrue(pythons, "no CPython 3.11-3.13 found")
        for version, python in pythons:
            with self.subTest(python=version):
                expected = json.loads(subprocess.run(
                    [python, "-c", program + "import json\nprint(json.dumps({k: repr(v) for k, v in globals().items()"
                     " if k.startswith('v') and k[1:].isdigit()}))"],
                    capture_output=True, text=True, check=True).stdout)
                client = LspClient()
                try:
                    client.initialize(options={"pythonVersion": version})
                    client.open(URI, "python", program)
                    snap = client.result("c2py/heapSnapshot", {"textDocument": {"uri": URI},
                                                               "position": {"line": len(EXPRESSIONS), "character": 0}})
                finally:
                    client.close()
                self.assertTrue(snap["complete"], snap.get("reason"))
                shown = 0
                for name, text in expected.items():
                    objects = [o for o in snap["objects"] if name in o["names"]]
                    self.assertEqual(len(objects), 1, name)
                    value = objects[0]["value"]
                    if value is not None:
                        self.assertEqual(value, text, "%s = %s" % (name, EXPRESSIONS[int(name[1:])]))
                        shown += 1
                    else:
                        # Only containers, long or non-ASCII strings go without a value.
                        self.assertTrue(objects[0]["type"] in ("list", "tuple") or
                                        (objects[0]["type"] == "str" and (len(text) > 66 or not text.isascii())),
                                        "%s = %s has no value" % (name, EXPRESSIONS[int(name[1:])]))
                self.assertGreaterEqual(shown, len(EXPRESSIONS) - 4)


if __name__ == "__main__":
    unittest.main()
