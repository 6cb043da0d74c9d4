"""Every lesson point MM01–MM19 has a knowledge entry and reaches the user from the examples:
read from the lessonPoints in the data of diagnostics, inlay hints, hovers and code actions."""
import glob
import os
import re
import unittest

from check_json import SOURCE_DIR, check

POINTS = [f"MM{n:02d}" for n in range(1, 20)]


def surfaced(files):
    """lesson point -> set of (feature, idiom) that carried it."""
    seen = {}
    for f in files:
        for feature in ("diagnostics", "inlayHints", "hovers", "codeActions"):
            for item in f[feature]:
                data = item.get("data") or {}
                for point in data.get("lessonPoints", []):
                    seen.setdefault(point, set()).add((feature, data.get("idiom")))
    return seen


class Coverage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        examples = sorted(glob.glob(os.path.join(SOURCE_DIR, "examples", "*.[cp]*")))
        cls.files = check(*examples)
        cls.seen = surfaced(cls.files)

    def test_every_point_has_a_knowledge_entry(self):
        entries = glob.glob(os.path.join(SOURCE_DIR, "knowledge", "memory-management", "*.md"))
        covered = set()
        for path in entries:
            with open(path, encoding="utf-8") as f:
                header = f.read().split("\n---\n", 1)[0]
            match = re.search(r"^lessonPoints:(.*)$", header, re.M)
            if match:
                covered.update(p.strip() for p in match.group(1).split(","))
        self.assertEqual([p for p in POINTS if p not in covered], [])

    def test_every_point_is_surfaced_on_the_examples(self):
        missing = [p for p in POINTS if p not in self.seen]
        self.assertEqual(missing, [], f"surfaced: { {p: sorted(v)[:2] for p, v in self.seen.items()} }")

    def test_every_point_is_surfaced_by_a_hover(self):
        # Hovers carry the whole entry, so each point is one hover away somewhere.
        missing = [p for p in POINTS if not any(feature == "hovers" for feature, _ in self.seen.get(p, ()))]
        self.assertEqual(missing, [])

    def test_both_languages_teach(self):
        by_language = {f["language"]: surfaced([f]) for f in self.files}
        self.assertGreaterEqual(len(set().union(*(set(v) for k, v in by_language.items() if k == "c"))), 12)
        self.assertGreaterEqual(len(set().union(*(set(v) for k, v in by_language.items() if k == "python"))), 12)

    def test_examples_parse_without_errors(self):
        for f in self.files:
            self.assertEqual(f["syntaxErrors"], [], f["path"])

    def test_hovers_are_short_and_fenced(self):
        for f in self.files:
            for hover in f["hovers"]:
                value = hover["contents"]["value"]
                idiom = hover["data"]["idiom"]
                # The entry part (before a diagnostic's full entry) stays within about 20 lines.
                head = value.split("\n---\n", 1)[0].strip("\n")
                self.assertLessEqual(len(head.splitlines()), 24, f"{f['path']} {idiom}:\n{head}")
                for fence in re.findall(r"^```(.*)$", head, re.M)[::2]:
                    self.assertIn(fence, ("c", "python"), f"{f['path']} {idiom}: a fence without a language")


if __name__ == "__main__":
    unittest.main()
