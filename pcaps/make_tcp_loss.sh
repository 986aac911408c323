#!/bin/sh
# Regenerates pcaps/real/tcp_loss.pcap: SIP over TCP through a router that
# drops packets, so that the kernel's own TCP sends segments again (RTO,
# tail loss probes), as on a congested link. SIPp's built-in uac and uas over
# one TCP connection (-t t1); SIPp sends nothing again itself over TCP, so
# every copy of a message in the capture is TCP's.
#
#   caller ns (192.0.2.10) -- router ns -- callee ns (192.0.2.140)
#
# The router's links are token buckets (tc tbf) too small for the calls'
# bursts: what overflows is dropped. The capture is taken on the callee's
# link, as a capture on a SIP server is: the callee's segments are captured
# before the router drops them, so a 200 and the segment TCP sends again
# both show; the caller's lost segments never reach the capture point.
#
# Run as root on Debian 12 (needs sip-tester, tshark, iproute2; no kernel
# module beyond veth and tbf). The drops depend on timing: each run makes
# another capture, and the test reads what to expect off the capture itself.
#   sh make_tcp_loss.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$here/real
work=$(mktemp -d)
ns=sipresp$$
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  sleep 1
  for n in a r b; do ip netns del "$ns$n" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

for tool in sipp dumpcap editcap ip tc; do
  command -v $tool >/dev/null || { echo "missing $tool (apt-get install sip-tester tshark iproute2)" >&2; exit 2; }
done

at() { n=$1; shift; ip netns exec "$ns$n" "$@"; }
for n in a r b; do ip netns add "$ns$n"; at $n ip link set lo up; done
ip link add a0 netns "${ns}a" type veth peer name ra netns "${ns}r"
ip link add b0 netns "${ns}b" type veth peer name rb netns "${ns}r"
at a ip addr add 192.0.2.10/25 dev a0
at b ip addr add 192.0.2.140/25 dev b0
at r ip addr add 192.0.2.1/25 dev ra
at r ip addr add 192.0.2.129/25 dev rb
for l in "a a0" "b b0" "r ra" "r rb"; do set -- $l; at "$1" ip link set "$2" up; done
# (veth hands over checksums unfilled: filled in, so tshark reads them as sent)
for l in "a a0" "b b0" "r ra" "r rb"; do set -- $l; at "$1" ethtool -K "$2" tx off >/dev/null 2>&1 || true; done
at a ip route add default via 192.0.2.1
at b ip route add default via 192.0.2.129
at r sysctl -qw net.ipv4.ip_forward=1
# 40 kbit/s with a 1600-byte bucket and queue, each way: a 180 and a 200
# with SDP back to back often fit, three messages at once seldom do
for l in ra rb; do at r tc qdisc add dev "$l" root tbf rate 40kbit burst 1600 limit 1600; done

at b dumpcap -q -i b0 -f "tcp port 5060" -w "$work/tcp_loss.pcapng" >/dev/null 2>&1 & cap=$!; pids="$pids $cap"
sleep 1
at b sipp -sn uas -t t1 -i 192.0.2.140 -p 5060 -nostdin >/dev/null 2>&1 & pids="$pids $!"
sleep 1
# 40 calls, 4 a second, each held 500 ms before the BYE
at a sipp 192.0.2.140:5060 -sn uac -t t1 -i 192.0.2.10 -p 5061 -m 40 -r 4 -d 500 -nostdin -timeout 90 \
  >/dev/null 2>&1 || true  # (exit 1 when a call failed: the capture shows why)
sleep 5
kill "$cap"; wait "$cap" 2>/dev/null || true
editcap -F pcap "$work/tcp_loss.pcapng" "$out/tcp_loss.pcap"
echo "wrote $out/tcp_loss.pcap ($(capinfos -c -M "$out/tcp_loss.pcap" | awk '/Number of packets/ {print $NF}') packets)"
