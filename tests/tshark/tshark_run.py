"""Runs tshark with the built sipresp plugin (scripts/tshark-with-plugin.sh)
and reads its field output. Shared by the tshark tests."""
import functools
import os
import re
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


@functools.cache
def tshark_version():
    """(major, minor) of the tshark the tests run."""
    first = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout.split("\n", 1)[0]
    found = re.search(r"(\d+)\.(\d+)\.\d+", first)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


# What changed in tshark's field output after 4.0 (Debian 12), so that one
# test reads the same values from 4.0, 4.4 (Debian 13) and 4.6:
# - a boolean prints as 1/0 up to 4.0 and True/False from 4.2 on: the tests
#   read 4.0's spelling;
# - from 4.2 on a string value is written with C escapes (a backslash as
#   two): undone, so a test compares the value itself;
# - from 4.2 on _ws.col.Info is a field that Wireshark fills in before it
#   calls any postdissector (col_dissect, packet-frame.c), so it never holds
#   sipresp's summary; the Info column that the packet list and tshark's
#   summary lines show does. fields() reads it from there on every version.
BOOLEAN_SPELLING = {"True": "1", "False": "0"}
C_ESCAPES = {"\\": "\\", "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
INFO = "_ws.col.Info"


@functools.cache
def boolean_fields():
    """sipresp's fields of type FT_BOOLEAN, from tshark -G fields."""
    rows = [line.split("\t") for line in tshark("-G", "fields").splitlines()]
    found = {r[2] for r in rows if len(r) > 3 and r[0] == "F" and r[2].startswith("sipresp.") and r[3] == "FT_BOOLEAN"}
    assert found, "no boolean field of sipresp in tshark -G fields"
    return found


def unescape(value):
    return re.sub(r"\\([\\abfnrtv])", lambda m: C_ESCAPES[m.group(1)], value)


def output_lines(out):
    """tshark's lines: cut at "\n" only. str.splitlines() also cuts at
    U+0085, U+2028 and a few control characters, which a SIP label or Info
    text taken from hostile bytes may hold as they are (the fuzz corpus)."""
    return [line for line in out.split("\n") if line]


def info_column(*args):
    """frame number -> the Info column as tshark's summary lines show it
    (what the packet list shows), for tshark `args` (-r FILE, -Y, -2, -o...).
    The frame number comes from a custom column: with one, tshark builds a
    tree as for fields, which a hostile frame can need to dissect as the
    fields and the GUI beside which this is read do (README, Tests)."""
    out = tshark(*args, "-o", 'gui.column.format:"No.","%Cus:frame.number","Info","%i"')
    info = {}
    for line in output_lines(out):
        number, _, text = line.lstrip().partition(" ")
        info[int(number)] = text
    return info


def assert_frames(test, rows, names, expected):
    """`rows`: frame number -> fields() row; `expected`: frame number -> one
    list of values per name in `names`. Each frame is its own subtest."""
    for frame, values in expected.items():
        with test.subTest(frame=frame):
            for name, value in zip(names, values, strict=True):
                test.assertEqual(rows[frame][name], value, name)


def fields(capture, names, display_filter=None, two_pass=False, extra=()):
    """One dict per frame (after the filter): field name -> list of values.
    Values read as tshark 4.0 prints them (see above); _ws.col.Info is split
    at '|' as the other fields are."""
    names = list(names)
    asked = [n for n in names if n != INFO] + ["frame.number"]
    args = ["-r", capture]
    if two_pass:
        args.append("-2")
    if display_filter:
        args += ["-Y", display_filter]
    args += list(extra)
    out = tshark(*args, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|", "-E", "separator=\t",
                 *[a for n in asked for a in ("-e", n)])
    newer = tshark_version() >= (4, 2)
    booleans = boolean_fields() if newer else set()
    info = info_column(*args) if INFO in names else {}
    rows = []
    for line in output_lines(out):
        cols = line.split("\t")
        cols += [""] * (len(asked) - len(cols))
        got = {n: (c.split("|") if c else []) for n, c in zip(asked, cols)}
        if newer:
            got = {n: [BOOLEAN_SPELLING.get(v, v) for v in vs] if n in booleans else [unescape(v) for v in vs]
                   for n, vs in got.items()}
        if INFO in names:
            text = info[int(got["frame.number"][0])]
            got[INFO] = text.split("|") if text else []
        rows.append({n: got[n] for n in names})
    return rows
