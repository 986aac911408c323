#!/usr/bin/env python3
"""Checks that every prefetch the capture tracker asks for is in its compiled
code. GCC takes a small function whose only work is __builtin_prefetch for
one without effects and drops the calls to it: from d4cd7f5 (the 10-byte
table slots) to 2 December 2026 the tracker's table prefetches were gone
from the build, and only a profile showed it (bench/HISTORY.md).

  check_prefetches.py SOURCE.cpp OBJECT.o [OBJECT.o ...]

Counts the prefetch calls in SOURCE.cpp (`.prefetch(` outside comments) and
the prefetch instructions in the object built from it (objdump), and fails
when the object has fewer. Skips (exit 77, which ctest reports as a skip)
where objdump is missing or the object has no instruction set it knows."""

import os
import re
import shutil
import subprocess
import sys

SKIP = 77


def calls_in(source):
    count = 0
    with open(source, encoding="utf-8") as f:
        for line in f:
            code = line.split("//", 1)[0]
            count += len(re.findall(r"\.prefetch\(", code))
    return count


def instructions_in(obj):
    text = subprocess.run(["objdump", "-d", "--no-show-raw-insn", obj], capture_output=True, text=True,
                          check=True).stdout
    # x86-64: prefetcht0/t1/t2/nta/w; AArch64: prfm
    return len(re.findall(r"^\s*[0-9a-f]+:\s+(?:prefetch\w*|prfm)\s", text, re.MULTILINE))


def main():
    source, objects = sys.argv[1], sys.argv[2:]
    if shutil.which("objdump") is None:
        print("skipped: no objdump")
        return SKIP
    name = os.path.basename(source) + ".o"
    matching = [o for o in objects if os.path.basename(o) == name]
    if len(matching) != 1:
        print("no single object %s among %s" % (name, objects))
        return 1
    header = subprocess.run(["objdump", "-f", matching[0]], capture_output=True, text=True, check=True).stdout
    if "x86-64" not in header and "aarch64" not in header:
        print("skipped: %s is for an instruction set this check does not know" % name)
        return SKIP
    calls, found = calls_in(source), instructions_in(matching[0])
    print("%s: %d prefetch calls in the source, %d prefetch instructions in %s" % (source, calls, found, name))
    if calls == 0:
        print("the source asks for no prefetch: this check has nothing left to guard")
        return 1
    return 0 if found >= calls else 1


if __name__ == "__main__":
    sys.exit(main())
