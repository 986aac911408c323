"""The fuzzer's saved corpus (fuzz/corpus.tar.xz) through tshark with the
plugin: each input one frame (fuzz/corpus_pcap.py). fuzz_core.cpp reaches
the core alone; here the same hostile bytes go through the SIP dissector's
framing and the plugin's tree, fields, Info column and expert items, one
pass and two, and through sharkd as the GUI reads it. tshark must not
crash, the SIP dissector's own output must be the same with the plugin
loaded and with it disabled, and the GUI must show what tshark -2 shows."""
import os
import subprocess
import sys
import tempfile
import unittest

from test_plugin import strip_sipresp
from test_sharkd import assert_like_tshark, readable_copy
from tshark_run import TOP, fields, tshark

sys.path.insert(0, os.path.join(TOP, "tests"))
from fuzz_replay import CORPUS, unpack  # noqa: E402


class FuzzCorpus(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="sipresp-fuzzpcap.")
        inputs = os.path.join(cls.tmp.name, "corpus")
        os.makedirs(inputs)
        unpack(CORPUS, inputs)
        # corpus_pcap.py makes a frame of every input with its 6-byte hint
        cls.frames = sum(os.path.getsize(os.path.join(inputs, n)) >= 6 for n in os.listdir(inputs))
        cls.capture = os.path.join(cls.tmp.name, "corpus.pcap")
        subprocess.run([sys.executable, os.path.join(TOP, "fuzz", "corpus_pcap.py"), cls.capture, inputs],
                       check=True, stdout=subprocess.DEVNULL)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_sip_output_unchanged_one_pass_and_two(self):
        for passes in ((), ("-2",)):
            with self.subTest(passes=passes):
                with_plugin = tshark("-r", self.capture, *passes, "-T", "pdml")
                without = tshark("-r", self.capture, *passes, "-T", "pdml", "--disable-protocol", "sipresp")
                self.assertIn('<proto name="sipresp"', with_plugin)
                self.assertEqual(strip_sipresp(with_plugin), strip_sipresp(without))

    def test_every_2xx_and_3xx_the_sip_dissector_shows_is_annotated(self):
        # sipresp finds messages in the bytes itself, so where the two read
        # hostile bytes differently it may see more responses than the SIP
        # dissector; but a frame where the SIP dissector shows a 2xx or 3xx
        # must carry sipresp's analysis of it, or its note that it could not
        # read the message
        rows = fields(self.capture, ["frame.number", "sip.Status-Code", "sipresp.status_code", "sipresp.unreadable"],
                      two_pass=True)
        shown = [r for r in rows if any(code[:1] in ("2", "3") for code in r["sip.Status-Code"])]
        self.assertTrue(shown)
        missing = [r["frame.number"][0] for r in shown if not r["sipresp.status_code"] and not r["sipresp.unreadable"]]
        self.assertEqual(missing, [])

    def test_tree_summary_and_filter_do_not_crash(self):
        tree = tshark("-r", self.capture, "-2", "-V")
        self.assertIn("\nSIP Response Analysis: ", tree)
        self.assertIn("Could not read this SIP message", tree)
        # the Info column summary (no tree) and a filter on sipresp's fields
        summary = tshark("-r", self.capture)
        self.assertEqual(len(summary.splitlines()), self.frames)
        flagged = tshark("-r", self.capture, "-Y", "sipresp.rule")
        self.assertTrue(0 < len(flagged.splitlines()) < self.frames)

    def test_the_gui_shows_what_tshark_shows_in_any_order(self):
        # test_sharkd.py's check: trees asked for in order, backwards and
        # shuffled, the packet list and filters. Not its taps: on a few of
        # these frames (a TCP segment the capture cut, holding a broken
        # status line) Wireshark leaves the SIP layer in the frame when it
        # builds no tree, and not when it builds one, so sipresp's notes are
        # in -q -z expert (and the GUI's Expert Information) but in no tree
        # (frame 3 of this capture). That is Wireshark's choice of what ran.
        with tempfile.TemporaryDirectory(prefix="sipresp-sharkd.") as tmp:
            assert_like_tshark(self, self.capture, readable_copy(self.capture, tmp), taps=False)

    def test_other_preferences_do_not_crash(self):
        # the code paths the preferences choose: no call tracking, a short
        # chain limit, every output off (the benchmark's mode A)
        for prefs in (("-o", "sipresp.track_calls:FALSE"), ("-o", "sipresp.max_redirects:1"),
                      ("-o", "sipresp.info_summary:FALSE", "-o", "sipresp.track_calls:FALSE")):
            with self.subTest(prefs=prefs):
                tree = tshark("-r", self.capture, "-2", "-V", *prefs)
                self.assertIn("\nSIP Response Analysis: ", tree)
                self.assertEqual(len(tshark("-r", self.capture, *prefs).splitlines()), self.frames)


if __name__ == "__main__":
    unittest.main(verbosity=2)
