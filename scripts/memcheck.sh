#!/bin/sh
# valgrind memcheck of tshark -2 -V with the plugin over the captures named
# (absolute, or from the top of the repository; by default every capture of
# pcaps/); fails if valgrind reports an error whose stack passes through
# sipresp. Slow (minutes). Needs valgrind and a build (scripts/build.sh).
#   sh scripts/memcheck.sh [CAPTURE...]
set -eu
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- pcaps/*/*.pcap pcaps/*/*.pcapng
command -v valgrind >/dev/null || apt-get install -y valgrind >/dev/null
out=$(mktemp -d)
status=0
for capture in "$@"; do
  log="$out/$(basename "$capture").log"
  SIPRESP_VALGRIND=1 sh scripts/tshark-with-plugin.sh -r "$capture" -2 -V >/dev/null 2>"$log" || true
  errors=$(grep -c 'ERROR SUMMARY: [1-9]' "$log" || true)
  ours=$(grep -c 'sipresp' "$log" || true)
  echo "$capture: $(grep 'ERROR SUMMARY' "$log" | sed 's/==[0-9]*== //')"
  if [ "$errors" != 0 ] && [ "$ours" != 0 ]; then status=1; fi
done
rm -rf "$out"
exit $status
