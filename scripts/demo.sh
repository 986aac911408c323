#!/bin/sh
# The README's main command: set up, build, then run tshark with the fresh
# plugin over a capture from pcaps/ and show sipresp's annotations
# (scripts/demo-show.sh, which the tshark tests run too: the Info column
# summaries, the full tree of one 3xx, the expert summary, the findings
# across calls and the statistics).
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup-debian.sh
sh scripts/build.sh >/dev/null
exec sh scripts/demo-show.sh "$@"
