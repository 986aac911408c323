"""Runs tshark with the built sipresp plugin (scripts/tshark-with-plugin.sh)
and reads its field output. Shared by the tshark tests."""
import os
import subprocess

TOP = os.environ.get("SIPRESP_TOP", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
WRAPPER = os.path.join(TOP, "scripts", "tshark-with-plugin.sh")
PCAPS = os.path.join(TOP, "pcaps")


def pcap(name):
    return os.path.join(PCAPS, name)


def tshark(*args, env=None):
    """stdout of tshark with the plugin; fails the test on a non-zero exit
    (a crash is a signal, a negative code). `env`: variables set for this
    run on top of the test's environment. A byte that is not UTF-8 (the
    fuzz corpus's frames, in the SIP dissector's own output) reads as
    U+FFFD rather than stopping the test."""
    done = subprocess.run([WRAPPER, *args], capture_output=True, text=True, errors="replace",
                          env=dict(os.environ, **env) if env else None)
    if done.returncode != 0:
        raise AssertionError("tshark %s failed (%d): %s" % (" ".join(args), done.returncode, done.stderr))
    return done.stdout


# Boolean fields print as 1/0 up to tshark 4.0 and True/False from 4.2 on:
# the tests read them in 4.0's spelling.
BOOLEAN_FIELDS = {"sipresp.target.cacheable"}
BOOLEAN_SPELLING = {"True": "1", "False": "0"}


def assert_frames(test, rows, names, expected):
    """`rows`: frame number -> fields() row; `expected`: frame number -> one
    list of values per name in `names`. Each frame is its own subtest."""
    for frame, values in expected.items():
        with test.subTest(frame=frame):
            for name, value in zip(names, values, strict=True):
                test.assertEqual(rows[frame][name], value, name)


def fields(capture, names, display_filter=None, two_pass=False, extra=()):
    """One dict per frame (after the filter): field name -> list of values."""
    args = ["-r", capture, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|", "-E", "separator=\t"]
    if two_pass:
        args.append("-2")
    if display_filter:
        args += ["-Y", display_filter]
    for n in names:
        args += ["-e", n]
    args += list(extra)
    rows = []
    for line in tshark(*args).splitlines():
        cols = line.split("\t")
        cols += [""] * (len(names) - len(cols))
        row = {n: (c.split("|") if c else []) for n, c in zip(names, cols)}
        for n in BOOLEAN_FIELDS.intersection(row):
            row[n] = [BOOLEAN_SPELLING.get(v, v) for v in row[n]]
        rows.append(row)
    return rows
