"""Corrupted captures: every capture of pcaps/ with random byte errors
(editcap -E, several seeds) through tshark -2 -V with the plugin. tshark must
not crash, and the SIP dissector's own output must be the same with the
plugin loaded and with it disabled. SIPRESP_CORRUPT_SEEDS sets how many
seeds per capture (default 3; run more by hand: issue 7), and
SIPRESP_CORRUPT_FIRST_SEED the first of them (default 1), so that a run by
hand can try corruptions no earlier run tried."""
import glob
import os
import subprocess
import tempfile
import unittest

from test_plugin import strip_sipresp
from tshark_run import PCAPS, WRAPPER

SEEDS = int(os.environ.get("SIPRESP_CORRUPT_SEEDS", "3"))
FIRST_SEED = int(os.environ.get("SIPRESP_CORRUPT_FIRST_SEED", "1"))
# Classic pcap only. The one pcapng, handmade/tls.pcapng, carries its TLS
# keys in a Decryption Secrets Block, which editcap 4.0 refuses to write
# again ("can't be written as a pcapng file"); errors in its ciphertext
# would only stop decryption, and the SIP inside reaches sipresp as
# tcp.pcap's does, which is corrupted here.
CAPTURES = sorted(glob.glob(os.path.join(PCAPS, "*", "*.pcap")))


def run(*args):
    done = subprocess.run([WRAPPER, *args], capture_output=True, text=True, errors="replace")
    return done.returncode, done.stdout, done.stderr


class Corrupted(unittest.TestCase):
    def test_no_crash_and_sip_output_unchanged(self):
        self.assertTrue(CAPTURES)
        with tempfile.TemporaryDirectory() as tmp:
            for capture in CAPTURES:
                for seed in range(FIRST_SEED, FIRST_SEED + SEEDS):
                    broken = os.path.join(tmp, "%s-%d.pcap" % (os.path.basename(capture), seed))
                    subprocess.run(["editcap", "-E", "0.02", "--seed", str(seed), capture, broken], check=True,
                                   capture_output=True)
                    with self.subTest(capture=os.path.basename(capture), seed=seed):
                        code, with_plugin, err = run("-r", broken, "-2", "-T", "pdml")
                        # tshark exits 2 on a malformed record it cannot read at all; a
                        # signal (negative code) or an abort would be a crash
                        self.assertIn(code, (0, 2), err[-2000:])
                        code, without, err = run("-r", broken, "-2", "-T", "pdml", "--disable-protocol", "sipresp")
                        self.assertIn(code, (0, 2), err[-2000:])
                        self.assertEqual(strip_sipresp(with_plugin), strip_sipresp(without))
                        code, _, err = run("-r", broken, "-2", "-V")
                        self.assertIn(code, (0, 2), err[-2000:])


if __name__ == "__main__":
    unittest.main(verbosity=2)
