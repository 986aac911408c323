#!/usr/bin/env python3
"""Replays the fuzzer's saved corpus (fuzz/corpus.tar.xz) and the seeds made
from pcaps/ (fuzz/make_seeds.py) through fuzz_core.cpp's target, built
without libFuzzer (fuzz/replay.cpp): every input the fuzzer kept for a new
path must still pass the target's checks. The test command runs it on the
plain build (ctest) and on the ASan+UBSan build (scripts/test.sh).
  python3 tests/fuzz_replay.py REPLAY_BINARY"""
import os
import subprocess
import sys
import tarfile
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
CORPUS = os.path.join(TOP, "fuzz", "corpus.tar.xz")


def unpack(archive, into):
    """The archive's regular files, flat, into `into`; anything else in it
    (links, paths with folders) is refused, not followed."""
    count = 0
    with tarfile.open(archive, "r:xz") as tar:
        for member in tar:
            if member.isdir():
                continue
            name = os.path.basename(member.name)
            if not member.isfile() or not name or name.startswith("."):
                sys.exit("fuzz_replay: unexpected member %r in %s" % (member.name, archive))
            with open(os.path.join(into, name), "wb") as out:
                out.write(tar.extractfile(member).read())
            count += 1
    return count


def main():
    replay = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="sipresp-replay.") as tmp:
        corpus = os.path.join(tmp, "corpus")
        seeds = os.path.join(tmp, "seeds")
        os.makedirs(corpus)
        expected = unpack(CORPUS, corpus)
        subprocess.run([sys.executable, os.path.join(TOP, "fuzz", "make_seeds.py"), seeds],
                       check=True, stdout=subprocess.DEVNULL)
        expected += len(os.listdir(seeds))
        # a corpus that lost its inputs would replay nothing and pass
        if expected < 1000:
            sys.exit("fuzz_replay: only %d inputs to replay" % expected)
        run = subprocess.run([replay, corpus, seeds], capture_output=True, text=True)
        if run.returncode != 0:
            # once more, naming each input, so the last name is the culprit
            again = subprocess.run([replay, corpus, seeds], capture_output=True, text=True,
                                   env=dict(os.environ, SIPRESP_REPLAY_VERBOSE="1"))
            named = [l for l in again.stderr.splitlines() if l.startswith("running ")]
            print(run.stdout + run.stderr[-6000:])
            last = os.path.relpath(named[-1][len("running "):], tmp) if named else "none"
            sys.exit("fuzz_replay: exit %d; the last input run: %s (corpus/X is member X of %s,"
                     " seeds/X a file of make_seeds.py)" % (run.returncode, last, CORPUS))
        print(run.stdout.strip())
        if run.stdout.strip() != "replayed %d inputs" % expected:
            sys.exit("fuzz_replay: expected %d inputs replayed" % expected)


if __name__ == "__main__":
    main()
