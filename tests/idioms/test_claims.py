"""Every claim check in knowledge/ passes and every snippet and template parses (claims.py)."""
import unittest

import claims


class ClaimChecks(unittest.TestCase):
    def test_every_check_passes_and_every_snippet_parses(self):
        failures, counts = claims.check_all()
        print("\n" + " ".join("%s=%d" % kv for kv in counts.items()))
        self.assertGreaterEqual(counts["python_checks"] + counts["c_checks"], 30)
        self.assertEqual(failures, [], "\n".join(failures))


if __name__ == "__main__":
    unittest.main()
