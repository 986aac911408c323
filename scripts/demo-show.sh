#!/bin/sh
# What the README's main command shows, once the plugin is built: the Info
# column summaries of a capture's responses, the full tree of its first 3xx,
# the expert summary of the rule captures, the findings across calls, and the
# statistics. scripts/demo.sh sets up and builds, then runs this; the tshark
# tests run it too (SIPRESP_PLUGIN: the plugin to load), so what the demo
# prints is checked.
#   scripts/demo-show.sh [capture]     (default pcaps/handmade/clean.pcap)
set -eu
cd "$(dirname "$0")/.."
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
# summary lines with columns, not -T fields: from Wireshark 4.2 on the field
# _ws.col.Info is taken before postdissectors run, so it lacks sipresp's part
run -r pcaps/handmade/calls.pcap -2 -Y sipresp.rule -T tabs \
  -o 'gui.column.format:"No.","%m","Info","%i","Rules","%Cus:sipresp.rule"'
echo
echo "== at a proxy, a 200 whose ACK was never relayed to the callee: pcaps/handmade/proxy.pcap (tshark -2)"
run -r pcaps/handmade/proxy.pcap -2 -Y 'sipresp.ack_elsewhere && sipresp.rule' -V -O sipresp | sed -n '/^SIP Response Analysis/,$p'
echo
echo "== statistics over pcaps/handmade/calls.pcap (tshark -2 -z sipresp,tree)"
run -r pcaps/handmade/calls.pcap -2 -q -z sipresp,tree | cut -c1-70 | grep -v "^$"
