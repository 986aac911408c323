#!/bin/sh
# The README's main command: set up, build, then run tshark with the fresh
# plugin over a capture from pcaps/ and show sipresp's annotations: the Info
# column summaries, the full tree of one 302, and the expert summary.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup-debian.sh
sh scripts/build.sh >/dev/null
capture=${1:-pcaps/handmade/clean.pcap}
run() { sh scripts/tshark-with-plugin.sh "$@"; }
echo "== $capture: SIP responses, with sipresp's summary in the Info column"
run -r "$capture" -Y sip.Status-Code
echo
echo "== the first 3xx, sipresp's tree (tshark -2 -V -O sipresp: -2 adds what later frames show)"
first=$(run -r "$capture" -Y 'sipresp.status_code >= 300' -T fields -e frame.number | head -1)
[ -n "$first" ] && run -r "$capture" -2 -Y "frame.number == $first" -V -O sipresp | sed -n '/^SIP Response Analysis/,$p'
echo
echo "== rule hits over pcaps/handmade/rules.pcap (tshark -z expert)"
run -r pcaps/handmade/rules.pcap -q -z expert,note | grep -E "SIPRESP|^(Errors|Warns|Notes)"
echo
echo "== calls across the capture: pcaps/handmade/calls.pcap (tshark -2), frames with a finding"
run -r pcaps/handmade/calls.pcap -2 -Y sipresp.rule -T fields -e frame.number -e _ws.col.Info -e sipresp.rule
echo
echo "== at a proxy, a 200 whose ACK was never relayed to the callee: pcaps/handmade/proxy.pcap (tshark -2)"
run -r pcaps/handmade/proxy.pcap -2 -Y 'sipresp.ack_elsewhere && sipresp.rule' -V -O sipresp | sed -n '/^SIP Response Analysis/,$p'
echo
echo "== statistics over pcaps/handmade/calls.pcap (tshark -2 -z sipresp,tree)"
run -r pcaps/handmade/calls.pcap -2 -q -z sipresp,tree | cut -c1-70 | grep -v "^$"
