#!/usr/bin/env python3
"""The benchmark's verdict against issue 6's targets (bench/tshark_bench.py):
a set of rounds is called met, not met or at the limit from the quartiles of
its paired ratios, so one lucky median cannot call a target met."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
import tshark_bench  # noqa: E402


class Verdict(unittest.TestCase):
    def test_every_quartile_within_the_target_is_met(self):
        self.assertEqual(tshark_bench.verdict(1.10, [1.05, 1.07, 1.10]), "met")

    def test_every_quartile_over_the_target_is_not_met(self):
        # 3 December, B at 100k on the slower host: 1.153x (1.104-1.157)
        self.assertEqual(tshark_bench.verdict(1.10, [1.104, 1.153, 1.157]), "not met")

    def test_a_target_between_the_quartiles_is_at_the_limit(self):
        self.assertEqual(tshark_bench.verdict(1.10, [1.09, 1.095, 1.12]), "at the limit (met by the median)")
        self.assertEqual(tshark_bench.verdict(1.05, [1.04, 1.06, 1.07]), "at the limit (missed by the median)")

    def test_a_set_whose_disabled_runs_strayed_gives_no_verdict(self):
        # 6 December, B at 100k on a noisy host: --disable-protocol 1.090x
        self.assertEqual(tshark_bench.verdict(1.10, [0.926, 1.085, 1.173], disabled=1.090),
                         "no verdict (too noisy)")
        # noise that makes the runs without the plugin the slower ones
        self.assertEqual(tshark_bench.verdict(1.10, [1.104, 1.153, 1.157], disabled=0.95),
                         "no verdict (too noisy)")

    def test_a_quiet_set_keeps_its_verdict(self):
        # 3 December, quiet: B 1.124x (1.115-1.154), --disable-protocol 1.002x
        self.assertEqual(tshark_bench.verdict(1.10, [1.115, 1.124, 1.154], disabled=1.002), "not met")
        self.assertEqual(tshark_bench.verdict(1.10, [1.05, 1.07, 1.10], disabled=0.97), "met")
        # D has no --disable-protocol variant: the quartiles alone decide
        self.assertEqual(tshark_bench.verdict(1.05, [1.00, 1.01, 1.02]), "met")

    def test_targets_are_the_issues(self):
        self.assertEqual(tshark_bench.CPU_TARGETS, {"A": 1.02, "B": 1.10, "C": 1.10, "D": 1.05})
        self.assertEqual(tshark_bench.PEAK_TARGET, 1.10)


if __name__ == "__main__":
    unittest.main()
