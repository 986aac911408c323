#!/usr/bin/env python3
"""Checks that every object of the core was compiled with its profile
(pgo/). The build goes on without a profile when the flags never reach the
core's compilation, or when pgo/ is left out by mistake, and only a timing
in tshark would show it (the profile takes 2 to 4 points off mode B on
some hosts, README, Benchmarks).

  check_profile_use.py --skipped=WHY OBJECT.o [OBJECT.o ...]

WHY is why CMake left the profile-guided build out (empty when it did
not): then this exits 77, which ctest reports as a skip, with the reason.
Otherwise each object's compile options are read from its debug
information (DW_AT_producer, which GCC writes with -g) and must hold
-fprofile-use. GCC's -Werror=missing-profile, on the same compilation,
makes sure the counts it names were found. Skips where there is no
debug information (a Release build) or no readelf."""

import shutil
import subprocess
import sys

SKIP = 77


def producers(obj):
    text = subprocess.run(["readelf", "--debug-dump=info", obj], capture_output=True, text=True,
                          check=True).stdout
    return [line.split("):", 1)[-1].strip() for line in text.splitlines() if "DW_AT_producer" in line]


def main():
    if len(sys.argv) < 2 or not sys.argv[1].startswith("--skipped="):
        print(__doc__)
        return 2
    skipped, objects = sys.argv[1][len("--skipped="):], sys.argv[2:]
    if skipped:
        print("skipped: the profile-guided build does not apply here (%s)" % skipped)
        return SKIP
    if shutil.which("readelf") is None:
        print("skipped: no readelf")
        return SKIP
    if not objects:
        print("no objects of the core given")
        return 1
    without = []
    for obj in objects:
        found = producers(obj)
        if not found:
            print("skipped: %s has no debug information to read its compile options from" % obj)
            return SKIP
        if not all("-fprofile-use" in p.split() for p in found):
            without.append(obj)
    for obj in without:
        print("compiled without its profile: %s" % obj)
    print("%d of %d core objects compiled with -fprofile-use" % (len(objects) - len(without), len(objects)))
    return 1 if without else 0


if __name__ == "__main__":
    sys.exit(main())
