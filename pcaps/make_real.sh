#!/bin/sh
# Regenerates pcaps/real/*.pcap: real SIP stacks on loopback. kamailio
# (registrar, redirect server, recursing proxy: real/kamailio.cfg) driven by
# SIPp scenarios (real/*.xml), captured with dumpcap on lo. Run as root on
# Debian 12 (needs kamailio, sip-tester, tshark). Stops everything it starts.
#   sh make_real.sh [CAPTURE...]   only those (clean dialog compact fork query lost_ack lossy broken tcp port5099 newleg ipv6 netsip fragments tcp_segments tcp_sipfrag
#                                  baresip twinkle sipvicious sofia linphone gruu jami jamifork transfer presence prack sipsak; baresip also needs the baresip-core package,
#                                  twinkle twinkle-console, sipvicious sipvicious, sofia libsofia-sip-ua-dev, linphone, gruu, transfer, presence and prack linphone-cli, jami and jamifork jami-daemon dbus libglib2.0-bin, sipsak the
#                                  sipsak package, netsip
#                                  the libnet-sip-perl package)
set -eu
only=" $* "
want() { [ "$only" = "  " ] || case "$only" in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
# can CAPTURE CHECK PACKAGE: CAPTURE is wanted and the stack it needs is here
# (CHECK succeeds). If not: said, and fatal when CAPTURE was asked for by name
can() {
  want "$1" || return 1
  eval "$2" >/dev/null 2>&1 && return 0
  echo "missing $3 (apt-get install $3): real/$1.pcap not made" >&2
  [ "$only" = "  " ] || exit 2
  return 1
}
here=$(cd "$(dirname "$0")" && pwd)
cfg=$here/real
out=$here/real
work=$(mktemp -d)
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  [ -n "${lo_mtu:-}" ] && ip link set lo mtu "$lo_mtu" 2>/dev/null || true
  [ -n "${lo_gso:-}" ] && ip link set lo gso_max_segs "$lo_gso" 2>/dev/null || true
  [ -f "$work/kamailio.pid" ] && kill "$(cat "$work/kamailio.pid")" 2>/dev/null || true
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

for tool in kamailio sipp dumpcap editcap; do
  command -v $tool >/dev/null || { echo "missing $tool (apt-get install kamailio sip-tester tshark)" >&2; exit 2; }
done

kamailio -f "$cfg/kamailio.cfg" -P "$work/kamailio.pid" -w "$work" >"$work/kamailio.log" 2>&1
sleep 1

# UAs: bob answers on 5070 and 5071 (built-in uas scenario), a redirecting UA on 5072
uas() { sipp -sn uas -i 127.0.0.1 -p "$1" -nostdin -trace_err -error_file "$work/uas$1.err" >/dev/null 2>&1 & pids="$pids $!"; eval "uas$1=\$!"; }
uas 5070
uas 5071
sipp -sf "$cfg/uas_302.xml" -i 127.0.0.1 -p 5072 -nostdin >/dev/null 2>&1 & pids="$pids $!"
sleep 1

capture_start() {
  dumpcap -q -i lo -f "$2" -w "$work/$1.pcapng" >/dev/null 2>&1 & cap=$!
  sleep 1
}
capture_stop() {
  sleep 1
  kill "$cap"; wait "$cap" 2>/dev/null || true
  # plain pcap, fixed snaplen: small and readable by every tool
  editcap -F pcap "$work/$1.pcapng" "$out/$1.pcap"
  echo "wrote $out/$1.pcap ($(capinfos -c -M "$out/$1.pcap" | awk '/Number of packets/ {print $NF}') packets)"
}
# lo_segments MTU: lo cut into packets of MTU bytes (1280 at least, or lo
# loses ::1), one TCP segment each (without gso_max_segs 1 lo hands the
# capture 64 KB packets whatever its MTU), as on a real link; lo_restore
# puts both back (cleanup does too)
lo_segments() {
  lo_mtu=$(cat /sys/class/net/lo/mtu)
  lo_gso=$(ip -d link show lo | sed -n 's/.* gso_max_segs \([0-9]*\).*/\1/p')
  ip link set lo mtu "$1"
  ip link set lo gso_max_segs 1
}
lo_restore() {
  ip link set lo mtu "$lo_mtu"
  ip link set lo gso_max_segs "$lo_gso"
}
uac() {  # uac SCENARIO SERVICE [extra sipp args]; server=HOST:PORT and local=ADDRESS change who calls whom
  scen=$1; service=$2; shift 2
  sipp "${server:-127.0.0.1:5060}" -sf "$scen" -s "$service" -i "${local:-127.0.0.1}" -p 5090 -m 1 -nd -nostdin \
    -timeout "${timeout:-15}" "$@" >/dev/null 2>&1 || echo "  (sipp $service ended with $?)" >&2
}
# a UA on 5079 that answers every INVITE 486 Busy Here (real/uas_486.xml), once
busy_ua() {
  [ -n "${busy_pid:-}" ] && return 0
  sipp -sf "$cfg/uas_486.xml" -i 127.0.0.1 -p 5079 -nostdin >/dev/null 2>&1 & busy_pid=$!; pids="$pids $busy_pid"
  sleep 1
}
with_code() { sed "s/CODE/$2/" "$cfg/$1" > "$work/$1.$2.xml"; echo "$work/$1.$2.xml"; }

# The same scenario with its header names in their compact forms (RFC 3261
# 7.3.3), as some phones send them; SIPp's [last_*:] keywords find either
compact() {
  sed -e 's/^\( *\)Via:/\1v:/' -e 's/^\( *\)From:/\1f:/' -e 's/^\( *\)To:/\1t:/' \
      -e 's/^\( *\)Call-ID:/\1i:/' -e 's/^\( *\)Contact:/\1m:/' -e 's/^\( *\)Content-Length:/\1l:/' \
      "$1" > "$1.compact.xml"
  echo "$1.compact.xml"
}

udp="udp and (port 5060 or portrange 5070-5072 or port 5090)"

# 1. clean: registrations and calls that follow every rule
if want clean; then
  capture_start clean "$udp"
  uac "$cfg/register.xml" bob
  uac "$(with_code redirected.xml 302)" moved
  uac "$(with_code redirected.xml 300)" choices
  uac "$(with_code redirected.xml 302)" temporary
  uac "$(with_code redirected.xml 301)" permanent
  uac "$(with_code redirect_only.xml 305)" viaproxy
  uac "$cfg/call.xml" recurse
  capture_stop clean
fi

# 1b. every other method of a clean call, through the proxy: a dialog used
# with re-INVITE, UPDATE, INFO, REFER, OPTIONS, MESSAGE and BYE; a
# registration removed; a call cancelled while it rings
if want dialog; then
  sipp -sf "$cfg/dialog_uas.xml" -i 127.0.0.1 -p 5073 -nostdin >/dev/null 2>&1 & pids="$pids $!"
  sipp -sf "$cfg/cancel_uas.xml" -i 127.0.0.1 -p 5074 -nostdin >/dev/null 2>&1 & pids="$pids $!"
  sleep 1
  capture_start dialog "udp and (port 5060 or portrange 5073-5074 or port 5090)"
  uac "$cfg/dereg.xml" erin
  uac "$cfg/dialog_uac.xml" dave
  uac "$cfg/cancel_uac.xml" frank
  capture_stop dialog
fi

# 1c. a caller that writes compact header names: registration, a redirect
# it follows, the call to the target through the proxy
if want compact; then
  capture_start compact "$udp"
  cp "$cfg/register.xml" "$work/register.xml"
  uac "$(compact "$work/register.xml")" bob
  uac "$(compact "$(with_code redirected.xml 302)")" moved
  capture_stop compact
fi

# 1d. a call forked to both of carl's phones: the one on 5075 answers at
# once (SIPp's built-in uas), the one on 5076 rings (real/cancel_uas.xml);
# the proxy passes the 200 on and cancels the ringing fork, which answers
# the CANCEL and ends its INVITE with 487, ACKed by the proxy itself
if want fork; then
  sipp -sn uas -i 127.0.0.1 -p 5075 -nostdin >/dev/null 2>&1 & pids="$pids $!"
  sipp -sf "$cfg/cancel_uas.xml" -i 127.0.0.1 -p 5076 -nostdin >/dev/null 2>&1 & pids="$pids $!"
  sed -e 's/bob/carl/g' -e 's/5070/5075/' -e 's/5071/5076/' "$cfg/register.xml" > "$work/register_carl.xml"
  sleep 1
  capture_start fork "udp and (port 5060 or portrange 5075-5076 or port 5090)"
  uac "$work/register_carl.xml" carl
  uac "$cfg/call.xml" carl
  capture_stop fork
fi

# 1e. registration queries (RFC 3261 10.2.3): gina registers one binding,
# asks kamailio which bindings she has (a REGISTER without Contact), removes
# them all and asks again (real/query.xml)
if want query; then
  capture_start query "udp port 5060"
  uac "$cfg/query.xml" gina
  capture_stop query
fi

# 2. an ACK the proxy drops (sent to its own URI, no Route): the callee's
# 200 comes again and again after the ACK, on both legs. Before the broken
# callers: the 200 that noack.xml never ACKs is sent again for 32 s, and
# would show here (the scenario itself waits out its own callee's Timer H)
if want lost_ack; then
  capture_start lost_ack "$udp"
  timeout=45 uac "$cfg/lost_ack.xml" bob
  capture_stop lost_ack
fi

# 2b. calls over a lossy path: SIPp's built-in uac and uas, each dropping a
# tenth of the messages it sends or receives at random (`-lost 10`), as a
# bad network would: 60 calls straight to each other (5091 -> 5081), then
# 40 through kamailio (5091 -> 5060 -> 5077: `-rsa` sends every request to
# the proxy, and a Request-URI naming a UA's port it relays with
# Record-Route; kamailio itself loses nothing). Every retransmission timer
# of RFC 3261 17 then shows: INVITEs and BYEs sent again, 2xx to INVITE sent
# again until an ACK gets through or Timer H, calls given up. The loss is
# random, so each run makes another capture; its test reads the expected
# findings off the capture itself
if want lossy; then
  capture_start lossy "udp and (port 5060 or port 5077 or port 5081 or port 5091)"
  for hop in "127.0.0.1:5081 5081 60" "127.0.0.1:5077 5077 40 -rsa 127.0.0.1:5060"; do
    set -- $hop
    sipp -sn uas -i 127.0.0.1 -p "$2" -lost 10 -nostdin >/dev/null 2>&1 & lossy_uas=$!; pids="$pids $lossy_uas"
    sleep 1
    target=$1 calls=$3; shift 3
    sipp "$target" "$@" -sn uac -i 127.0.0.1 -p 5091 -lost 10 -m "$calls" -r 5 -l 20 -d 500 -nostdin \
      -timeout 60 >/dev/null 2>&1 || true  # (exit 1: some calls fail, as they should)
    sleep 33  # the uas's last 2xx copies, up to Timer H
    kill "$lossy_uas" 2>/dev/null || true
  done
  capture_stop lossy
fi

# 3. broken callers and servers
if want broken; then
  capture_start broken "$udp"
  uac "$(with_code redirect_only.xml 302)" self
  uac "$cfg/loop.xml" loopa
  uac "$cfg/noack.xml" bob
  capture_stop broken
fi

# 4. TCP: registration and a redirect over TCP
if want tcp; then
  capture_start tcp "tcp and port 5060"
  uac "$cfg/register.xml" bob -t t1
  uac "$(with_code redirect_only.xml 302)" temporary -t t1
  capture_stop tcp
fi

# 5. SIP on a port Wireshark does not know (5099): needs Decode As
if want port5099; then
  capture_start port5099 "udp and port 5099"
  sipp 127.0.0.1:5099 -sf "$(with_code redirect_only.xml 302)" -s temporary -i 127.0.0.1 -p 5090 -m 1 -nd -nostdin -timeout 15 >/dev/null 2>&1 || true
  capture_stop port5099
fi

# 6. a caller that follows a 302 as a new call (new Call-ID and From tag, as
# a B2BUA places a new leg), straight to the first target; 5 s later another
# new call to that target, which the 302 gave without a lifetime (21.3.3)
if want newleg; then
  capture_start newleg "$udp"
  uac "$cfg/register.xml" bob
  uac "$(with_code redirect_only.xml 302)" moved
  for pause in 0 5; do
    sleep $pause
    sipp 127.0.0.1:5070 -sf "$cfg/call.xml" -s bob -i 127.0.0.1 -p 5090 -m 1 -nd -nostdin -timeout 15 >/dev/null 2>&1 \
      || echo "  (sipp new leg ended with $?)" >&2
  done
  capture_stop newleg
fi

# 6b. IPv6 (RFC 5118): the same lab on ::1. bob6 registers two bindings,
# [::1]:5077 (a UA, SIPp's built-in uas) and [::1]:5078; alice calls
# `moved6` (the registrar's 302, no lifetime), `temporary6` (302,
# expires=60) and `choices6` (300: an IPv6 target, then an IPv4 one) and
# follows each to its first target, bob6 on 5077, through the proxy
if want ipv6; then
  sipp -sn uas -i ::1 -p 5077 -nostdin >/dev/null 2>&1 & pids="$pids $!"
  # (SIPp reads a bracket as a keyword: [local_ip] is written [::1])
  sed -e 's/bob@127.0.0.1:5070/bob6@[local_ip]:5077/' -e 's/bob@127.0.0.1:5071/bob6@[local_ip]:5078/' \
      -e 's/sip:bob@/sip:bob6@/g' "$cfg/register.xml" > "$work/register6.xml"
  sleep 1
  uac6() { server='[::1]:5060' local=::1 uac "$@"; }
  capture_start ipv6 "udp and (port 5060 or port 5077 or port 5090)"
  uac6 "$work/register6.xml" bob6
  uac6 "$(with_code redirected.xml 302)" moved6
  uac6 "$(with_code redirected.xml 302)" temporary6
  uac6 "$(with_code redirected.xml 300)" choices6
  capture_stop ipv6
fi

# 6c. Net::SIP, another stack, on both sides of a redirect. A registrar and
# redirect server made of it (real/netsip_redirect.pl, on 5062): bob
# registers his two bindings there; alice calls him (sip:bob@127.0.0.1, the
# address of record) and follows the 302 straight to the first target it
# lists (real/redirected_direct.xml), bob's UA on 5070 or 5071. Then a
# caller made of it (real/netsip_call.pl, carl on 5095) calls `temporary`
# through kamailio, follows its 302 itself and hangs up
if can netsip 'perl -MNet::SIP -e 1' libnet-sip-perl; then
  perl "$cfg/netsip_redirect.pl" 127.0.0.1:5062 >"$work/netsip.log" 2>&1 & pids="$pids $!"
  sleep 1
  capture_start netsip "udp and (port 5060 or port 5062 or portrange 5070-5071 or port 5090 or port 5095)"
  server=127.0.0.1:5062 uac "$cfg/register.xml" bob
  server=127.0.0.1:5062 uac "$cfg/redirected_direct.xml" bob
  perl "$cfg/netsip_call.pl" 127.0.0.1:5060 sip:temporary@127.0.0.1 || echo "  (Net::SIP caller ended with $?)" >&2
  capture_stop netsip
fi

# 6d. IP fragments: erin (real/uas_big200.xml, on 5073) answers alice's
# INVITE with a 200 whose SDP makes it some 4 KB, so over lo with its MTU
# set to 1500 for the call the kernel sends it in three IPv4 fragments (lo's
# own MTU, 65536, fragments nothing). Captured twice at once: with the
# capture filter the README suggests, which keeps every fragment
# (real/fragments.pcap), and with `udp port 5073` alone, which keeps only
# the first, the one with the UDP header (real/fragments_filtered.pcap)
if want fragments; then
  lo_mtu=$(cat /sys/class/net/lo/mtu)
  ip link set lo mtu 1500
  sipp -sf "$cfg/uas_big200.xml" -i 127.0.0.1 -p 5073 -m 1 -nostdin >/dev/null 2>&1 & erin=$!; pids="$pids $erin"
  dumpcap -q -i lo -f "udp port 5073 or (ip[6:2] & 0x1fff != 0)" -w "$work/fragments.pcapng" >/dev/null 2>&1 & all=$!
  dumpcap -q -i lo -f "udp port 5073" -w "$work/fragments_filtered.pcapng" >/dev/null 2>&1 & filtered=$!
  sleep 2
  server=127.0.0.1:5073 uac "$cfg/call.xml" erin
  sleep 1
  kill "$all" "$filtered"; wait "$all" "$filtered" 2>/dev/null || true
  ip link set lo mtu "$lo_mtu"
  for name in fragments fragments_filtered; do
    editcap -F pcap "$work/$name.pcapng" "$out/$name.pcap"
    echo "wrote $out/$name.pcap ($(capinfos -c -M "$out/$name.pcap" | awk '/Number of packets/ {print $NF}') packets)"
  done
fi

# 6e. TCP segments: the same big 200 over TCP, ten calls from alice (SIPp's
# built-in uac, one connection) to erin. With lo's MTU at 1500 and its
# segmentation offload cut to one segment a packet (lo hands the capture
# whole 64 KB packets otherwise), each 200 goes out as TCP segments of 1448,
# 1448 and some 560 bytes, as it would on an Ethernet link, and Wireshark
# puts it together in the last (real/tcp_segments.pcap)
if want tcp_segments; then
  lo_segments 1500
  sipp -sf "$cfg/uas_big200.xml" -t t1 -i 127.0.0.1 -p 5073 -m 10 -nostdin >/dev/null 2>&1 & erin=$!; pids="$pids $erin"
  capture_start tcp_segments "tcp port 5073"
  sipp 127.0.0.1:5073 -sn uac -t t1 -s erin -i 127.0.0.1 -p 5090 -m 10 -r 5 -d 200 -nostdin -timeout 30 >/dev/null 2>&1 \
    || echo "  (sipp uac ended with $?)" >&2
  capture_stop tcp_segments
  lo_restore
fi

# The same with lo's MTU at 1280 (the least IPv6 allows: below it lo loses
# ::1): SIPp's NOTIFY of a transfer, padded with long headers past one
# packet, whose body is the message/sipfrag line "SIP/2.0 200 OK" (RFC
# 3420), goes out in two segments, its body in the second; Wireshark puts it
# together there. Each call: INVITE, 302, ACK, NOTIFY, 200
# (real/tcp_sipfrag.pcap)
if want tcp_sipfrag; then
  lo_segments 1280
  sipp -sf "$cfg/notify_uas.xml" -t t1 -i 127.0.0.1 -p 5074 -m 20 -nostdin >/dev/null 2>&1 & frank=$!; pids="$pids $frank"
  capture_start tcp_sipfrag "tcp port 5074"
  sipp 127.0.0.1:5074 -sf "$cfg/notify_uac.xml" -t t1 -s frank -i 127.0.0.1 -p 5091 -m 20 -r 10 -nostdin -timeout 30 \
    >/dev/null 2>&1 || echo "  (sipp uac ended with $?)" >&2
  capture_stop tcp_sipfrag
  lo_restore
fi

# 7. another stack than SIPp on both ends: baresip (libre). bob registers
# from 5082 and answers every call. alice (5080), one process driven through
# its UDP console, calls `moved`: libre follows the location service's 302
# itself, in the same call (next CSeq, same Call-ID and From tag), to the
# Contact listed first, bob's binding. Then she calls `permanent` twice:
# libre follows each 301 to carol (SIPp on 5071) but keeps no record of it,
# so the second call goes to the moved URI again (21.3.2). Each call is hung
# up after 3 s; bob removes his binding as he quits
if can baresip 'command -v baresip' baresip-core; then
  python3 -c "
import sys, wave
w = wave.open(sys.argv[1], 'wb'); w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(bytes(2 * 8000 * 10)); w.close()" "$work/silence.wav"
  for who in alice:5080 bob:5082; do
    mkdir -p "$work/${who%:*}"
    sed -e "s#PORT#${who#*:}#" -e "s#WORK#$work#" "$cfg/baresip/config" > "$work/${who%:*}/config"
    cp "$cfg/baresip/${who%:*}.accounts" "$work/${who%:*}/accounts"
  done
  printf 'module_app\t\tcons.so\ncons_listen\t\t127.0.0.1:5555\n' >> "$work/alice/config"
  capture_start baresip "udp and (port 5060 or portrange 5070-5072 or portrange 5080-5083)"
  baresip -f "$work/bob" -t 24 >"$work/bob.log" 2>&1 & bob=$!
  baresip -f "$work/alice" -t 22 >"$work/alice.log" 2>&1 & alice=$!
  sleep 2
  python3 -c "
import socket, sys, time
console = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for callee in sys.argv[1:]:
    for command in ('/dial sip:%s@127.0.0.1' % callee, '/hangup'):
        console.sendto((command + '\n').encode(), ('127.0.0.1', 5555))
        time.sleep(3)" moved permanent permanent
  wait "$alice" || echo "  (baresip alice ended with $?)" >&2
  wait "$bob" || echo "  (baresip bob ended with $?)" >&2
  capture_stop baresip
fi

# 7b. Twinkle, a softphone with a SIP stack of its own (twinkle-console), as
# a caller that follows redirects itself and as a phone that redirects
# (real/twinkle/: carol on 5096, dave on 5097; no presence, no sound). dave
# registers with kamailio as he starts; for 5 s he forwards every call to
# bob's 5070 and carol's UA on 5071 (his console's `redirect -t always`: a
# 302), then answers every call himself (`auto_answer`). bob registers his
# two bindings (SIPp). carol calls dave straight (the 302), then through
# kamailio (a record-routed call between the two Twinkles), then `moved`,
# `choices`, `busyfirst` (300: a busy UA on 5079, real/uas_486.xml, then
# bob), `temporary`, `permanent` twice, `loopa`, `viaproxy` and `self`,
# from her console, hanging up each after 3 s
if can twinkle 'command -v twinkle-console' twinkle-console; then
  mkdir -p "$work/carol/.twinkle" "$work/dave/.twinkle"
  cp "$cfg/twinkle/carol.cfg" "$cfg/twinkle/twinkle.sys" "$work/carol/.twinkle/"
  sed -e 's/carol/dave/' -e 's/Carol/Dave/' -e 's/^register_at_startup=no/register_at_startup=yes/' \
    "$cfg/twinkle/carol.cfg" > "$work/dave/.twinkle/dave.cfg"
  printf 'registrar=127.0.0.1\nregistration_time=600\n' >> "$work/dave/.twinkle/dave.cfg"
  sed -e 's/5096/5097/' -e 's/8100/8200/' "$cfg/twinkle/twinkle.sys" > "$work/dave/.twinkle/twinkle.sys"
  busy_ua
  capture_start twinkle "udp and (port 5060 or portrange 5070-5071 or port 5079 or port 5090 or portrange 5096-5097)"
  uac "$cfg/register.xml" bob
  {
    echo "redirect -t always -a on sip:bob@127.0.0.1:5070 sip:carol@127.0.0.1:5071"; sleep 5
    echo "redirect -a off"; echo "auto_answer -a on"; sleep 10; echo quit; sleep 2
  } | HOME="$work/dave" twinkle-console dave.cfg >"$work/dave.log" 2>&1 & dave=$!
  {
    sleep 2
    for callee in dave@127.0.0.1:5097 dave moved choices busyfirst temporary permanent permanent loopa viaproxy self; do
      case $callee in *@*) ;; *) callee=$callee@127.0.0.1 ;; esac
      echo "call sip:$callee"; sleep 3; echo bye; sleep 1
    done
    echo quit; sleep 2
  } | HOME="$work/carol" twinkle-console carol.cfg >"$work/carol.log" 2>&1 || echo "  (twinkle carol ended with $?)" >&2
  wait "$dave" || echo "  (twinkle dave ended with $?)" >&2
  capture_stop twinkle
fi

# 7c. SIPVicious's svwar, the extension scanner found in many field
# captures, probing kamailio by INVITE (port 5098) for a few names: a
# random one first (its own check), then `temporary`, `choices`,
# `permanent`, `viaproxy` and `nobody`. It ACKs each final response and
# follows nothing
if can sipvicious 'command -v svwar' sipvicious; then
  printf 'temporary\nchoices\npermanent\nviaproxy\nnobody\n' > "$work/names.txt"
  capture_start sipvicious "udp and port 5060 and port 5098"
  svwar -m INVITE -d "$work/names.txt" -P 5098 -b 127.0.0.1 udp://127.0.0.1:5060 >"$work/svwar.log" 2>&1 ||
    echo "  (svwar ended with $?)" >&2
  capture_stop sipvicious
fi

# 7d. Sofia-SIP (libsofia-sip-ua, the SIP stack inside FreeSWITCH), both
# sides, built from real/sofia/sofia_calls.c. frank (5093) registers; he
# answers a call straight to him with a 302 Sofia builds (bob's two
# bindings, q 0.9 and 0.5, Expires 60) and one through kamailio with a 200.
# gina (5094), with Sofia's own 302 and 305 handling on, calls frank
# straight, then frank through kamailio (a record-routed call between the
# two), then `moved`, `choices`, `busyfirst`, `temporary`,
# `permanent` twice, `viaproxy`, `loopa` and `self`, hanging up each
# answered call after 200 ms; then frank removes his registration
if can sofia 'pkg-config --exists sofia-sip-ua && command -v cc' libsofia-sip-ua-dev; then
  cc -O1 -o "$work/sofia_calls" "$cfg/sofia/sofia_calls.c" $(pkg-config --cflags --libs sofia-sip-ua)
  busy_ua
  capture_start sofia "udp and (port 5060 or portrange 5070-5071 or port 5079 or port 5090 or portrange 5093-5094)"
  uac "$cfg/register.xml" bob
  set --
  for callee in frank@127.0.0.1:5093 frank moved choices busyfirst temporary permanent permanent viaproxy loopa self; do
    case $callee in *@*) ;; *) callee=$callee@127.0.0.1 ;; esac
    set -- "$@" "sip:$callee"
  done
  timeout 120 "$work/sofia_calls" "$@" 2>"$work/sofia.log" || echo "  (sofia_calls ended with $?)" >&2
  capture_stop sofia
fi

# 7e. Linphone (liblinphone on belle-sip, the stack of the Linphone apps),
# both sides, each a linphonec driven through its console (real/linphone/:
# henry on 5086, no registration; ivy on 5087, registered with kamailio for
# 600 s; no video, sound from files). henry calls ivy straight; 2 s later
# ivy sends the pending call to bob's 5070 (`redirect all`: a 302 linphone
# builds); then ivy answers every call herself (`autoanswer`). bob
# registers his two bindings (SIPp). henry then calls ivy through kamailio
# (a record-routed call between the two), then `moved`, `choices`,
# `busyfirst`, `temporary`, `permanent` twice and `viaproxy`, hanging up
# each after 3 s; then `loopa`, and in a second run `self`, each ended
# 0.3 s later by quitting; ivy quits (removing her binding) once henry is
# done
if can linphone 'command -v linphonec' linphone-cli; then
  for who in henry ivy; do
    mkdir -p "$work/$who/.local/share/linphone"  # its call log; linphonec opens no port without it
    cp "$cfg/linphone/$who.rc" "$work/$who/rc"
  done
  busy_ua
  capture_start linphone "udp and (port 5060 or portrange 5070-5071 or port 5079 or port 5090 or portrange 5086-5087)"
  uac "$cfg/register.xml" bob
  {
    sleep 5; echo "redirect all sip:bob@127.0.0.1:5070"; sleep 1; echo "autoanswer enable"
    while [ ! -f "$work/henry.done" ]; do sleep 1; done
    echo quit; sleep 2
  } | HOME="$work/ivy" timeout 120 linphonec -c "$work/ivy/rc" >"$work/ivy.log" 2>&1 & ivy=$!
  # henry CALLEE... [-- CALLEE...]: one linphonec, each callee for 3 s; the
  # callees after -- last 0.3 s each and end the process: linphonec follows a
  # redirect loop until it quits, and `terminate` does not stop it
  henry() {
    {
      sleep 3; echo "soundcard use files"; hold=3
      for callee; do
        [ "$callee" = -- ] && { hold=0.3; continue; }
        case $callee in *@*) ;; *) callee=$callee@127.0.0.1 ;; esac
        echo "call sip:$callee"; sleep $hold
        [ $hold = 3 ] && { echo "terminate all"; sleep 1; }
      done
      echo quit; sleep 2
    } | HOME="$work/henry" timeout 120 linphonec -c "$work/henry/rc" >>"$work/henry.log" 2>&1 ||
      echo "  (linphonec henry ended with $?)" >&2
  }
  henry ivy@127.0.0.1:5087 ivy moved choices busyfirst temporary permanent permanent viaproxy -- loopa
  henry -- self
  touch "$work/henry.done"
  wait "$ivy" || echo "  (linphonec ivy ended with $?)" >&2
  capture_stop linphone
fi

# The Linphone labs from 7f on. linphone_homes LAB PHONE... gives each
# PHONE a home of its own in $work/LAB with a copy of real/linphone/PHONE.rc
# for the lab to change (linphonec writes its rc back, and opens no port
# without the folder of its call log); linphone_console LAB PHONE runs
# PHONE's linphonec there, reading its console commands from stdin
linphone_homes() {
  lab=$1; shift
  for who; do
    mkdir -p "$work/$lab/$who/.local/share/linphone"
    cp "$cfg/linphone/$who.rc" "$work/$lab/$who/rc"
  done
}
linphone_console() {
  HOME="$work/$1/$2" timeout 90 linphonec -c "$work/$1/$2/rc" >"$work/$1/$2.log" 2>&1 ||
    echo "  (linphonec $2 ended with $?)" >&2
}

# 7f. The same two Linphones with GRUU (RFC 5627) left on, as linphone
# ships: ivy registers and kamailio hands her a GRUU, which she puts in the
# Contact of her 200. henry calls her through kamailio, answered at once
# (`autoanswer`), and hangs up after 6 s. His ACK and BYE go to the GRUU,
# which kamailio.cfg takes for its own URI and does not route: the ACK is
# dropped, the BYE answered 404, and ivy sends her 200 again until Timer H
# (32 s) runs out. Field engineers meet this with any proxy that hands out
# GRUUs it cannot route
if can gruu 'command -v linphonec' linphone-cli; then
  linphone_homes gruu henry ivy  # homes of their own: 7e's linphonecs wrote theirs
  sed -i '/^supported=/d' "$work/gruu/ivy/rc"  # linphone's own default: gruu among its options
  capture_start gruu "udp and (port 5060 or portrange 5086-5087)"
  {
    sleep 2; echo "autoanswer enable"
    while [ ! -f "$work/gruu/henry.done" ]; do sleep 1; done
    echo quit; sleep 2
  } | linphone_console gruu ivy & ivy=$!
  {
    sleep 4; echo "soundcard use files"; echo "call sip:ivy@127.0.0.1"; sleep 6
    echo "terminate all"; sleep 40; echo quit; sleep 2
  } | linphone_console gruu henry
  touch "$work/gruu/henry.done"
  wait "$ivy" || true
  capture_stop gruu
fi

# 7g. Jami (jamid, the Jami daemon, with pjsip inside), as a SIP phone:
# jack (5088), driven over D-Bus by real/jami/jack.sh, registers with
# kamailio and calls bob's 5070 through kamailio (a call SIPp answers),
# then `moved`, `choices`, `temporary`, `permanent` and `viaproxy`, each
# hung up after 3 s; then alice (SIPp, real/call.xml) calls jack through
# kamailio, and jack answers; jack quits, removing his binding
jami_here='command -v /usr/libexec/jamid && command -v dbus-run-session && command -v gdbus'
jami_packages="jami-daemon dbus libglib2.0-bin"
if can jami "$jami_here" "$jami_packages"; then
  mkdir -p "$work/jami"
  capture_start jami "udp and (port 5060 or portrange 5070-5071 or port 5088 or port 5090)"
  uac "$cfg/register.xml" bob
  HOME="$work/jami" timeout 120 dbus-run-session -- sh "$cfg/jami/jack.sh" "$work/jami.done" "$work/jami.quit" \
    bob@127.0.0.1:5070 moved choices temporary permanent viaproxy >/dev/null 2>&1 & jack=$!
  while [ ! -f "$work/jami.done" ] && kill -0 "$jack" 2>/dev/null; do sleep 1; done
  uac "$cfg/call.xml" jack
  touch "$work/jami.quit"
  wait "$jack" || echo "  (jami ended with $?)" >&2
  capture_stop jami
fi

# 7h. The same Jami as a caller whose INVITE a proxy forks: dora registers
# two bindings, 5073 (SIPp's built-in uas: 180, then 200 at once) and 5074
# (real/uas_answer_late.xml: no 1xx, 200 after 100 ms, sent again until
# ACKed). jack calls `dora` through kamailio, which forks the call to both;
# kamailio cancels no branch that sent no 1xx, so both 200s reach jack.
# pjsip ACKs the first and answers the second by sending that same ACK
# again, where the second needs one with its own To tag (RFC 3261
# 13.2.2.4); it never ACKs or ends the second fork's dialog
if can jamifork "$jami_here" "$jami_packages"; then
  mkdir -p "$work/jamifork"
  sipp -sn uas -i 127.0.0.1 -p 5073 -nostdin >/dev/null 2>&1 & fork_a=$!; pids="$pids $fork_a"
  sipp -sf "$cfg/uas_answer_late.xml" -i 127.0.0.1 -p 5074 -nostdin >/dev/null 2>&1 & fork_b=$!; pids="$pids $fork_b"
  sed -e 's/bob/dora/g' -e 's/5070/5073/' -e 's/5071/5074/' "$cfg/register.xml" > "$work/register_dora.xml"
  sleep 1
  capture_start jamifork "udp and (port 5060 or portrange 5073-5074 or port 5088 or port 5090)"
  uac "$work/register_dora.xml" dora
  # (its DONE file is its QUIT file too: jack quits once his call is over)
  HOME="$work/jamifork" timeout 60 dbus-run-session -- sh "$cfg/jami/jack.sh" "$work/jamifork.done" \
    "$work/jamifork.done" dora >/dev/null 2>&1 || echo "  (jami ended with $?)" >&2
  capture_stop jamifork
  kill "$fork_a" "$fork_b" 2>/dev/null || true
fi

# 7i. Transfers (RFC 3515) among three Linphones through kamailio: ivy
# (5087) and kim (real/linphone/kim.rc, 5078) register and answer every
# call (`autoanswer`). Blind, to a number that is forwarded: henry calls
# ivy, and 3 s later sends her a REFER inside the call to `forwarded`
# (his console's `transfer`), which she accepts with 202. She puts henry
# on hold (a re-INVITE), calls `forwarded`, follows its 302 (kim's 5078,
# expires=60) as a new call (7e), tells henry how it went in NOTIFYs
# (sipfrag) that he answers 200, and he hangs up on her; she hangs up on
# kim at 12 s. Attended (`transfer 2 --to-call 3`): henry calls ivy,
# holds her (`pause`), calls kim, and sends ivy a REFER whose Refer-To
# carries kim's call in a Replaces URI header (RFC 3891); ivy calls kim
# with that Replaces, kim ends henry's call to her, and ivy's call to kim
# lasts until the phones quit
if can transfer 'command -v linphonec' linphone-cli; then
  linphone_homes transfer henry ivy kim
  capture_start transfer "udp and (port 5060 or port 5078 or portrange 5086-5087)"
  # answering PHONE [SECONDS]: answers every call; hangs up after SECONDS
  # if given; quits once henry is done
  answering() {
    { sleep 2; echo "autoanswer enable"
      [ -n "${2:-}" ] && { sleep "$2"; echo "terminate all"; }
      while [ ! -f "$work/transfer/henry.done" ]; do sleep 1; done; echo quit; sleep 2
    } | linphone_console transfer "$1"
  }
  answering kim & kim=$!
  answering ivy 10 & ivy=$!
  {
    sleep 4; echo "soundcard use files"; echo "call sip:ivy@127.0.0.1"; sleep 3
    echo "transfer sip:forwarded@127.0.0.1"; sleep 8
    echo "call sip:ivy@127.0.0.1"; sleep 3; echo "pause"; sleep 1
    echo "call sip:kim@127.0.0.1"; sleep 3; echo "transfer 2 --to-call 3"; sleep 5
    echo "terminate all"; sleep 2; echo quit; sleep 2
  } | linphone_console transfer henry
  touch "$work/transfer/henry.done"
  wait "$ivy" "$kim" || true
  capture_stop transfer
fi

# 7j. Presence (RFC 6665) between two Linphones through kamailio, which
# routes SUBSCRIBE and NOTIFY like any request to a registered user (it
# keeps no presence itself). ivy (5087) and kim (5078) register. ivy has
# kim among her friends, allowed to watch her and not watched
# (`pol=accept`, `subscribe=0`, added to her copy of ivy.rc), so she is
# the notifier of kim's subscription: at 3 s kim adds ivy as a friend
# (`friend add`), subscribes to her presence for 600 s, and ivy's 200 is
# followed by her NOTIFY (active, a PIDF body). As kim quits at 11 s he
# unsubscribes (Expires: 0 in the dialog); ivy's 200 to that carries no
# Expires, and she sends no last NOTIFY. Both remove their bindings
if can presence 'command -v linphonec' linphone-cli; then
  linphone_homes presence ivy kim
  printf '[friend_0]\nurl="Kim" <sip:kim@127.0.0.1>\npol=accept\nsubscribe=0\n' >>"$work/presence/ivy/rc"
  capture_start presence "udp and (port 5060 or port 5078 or port 5087)"
  { sleep 16; echo quit; sleep 3; } | linphone_console presence ivy & ivy=$!
  sleep 1
  { sleep 3; echo "friend add ivy sip:ivy@127.0.0.1"; sleep 8; echo quit; sleep 3; } | linphone_console presence kim
  wait "$ivy" || true
  capture_stop presence
fi

# 7k. Reliable provisional responses (RFC 3262) between two Linphones
# through kamailio: the copies of henry.rc and ivy.rc gain
# `100rel_support_level` (henry 1, supported; ivy 2, required), so ivy
# sends her 180 reliably (Require: 100rel, RSeq) and henry answers it with
# a PRACK, which ivy answers 200. First call: ivy answers at 6 s, henry
# hangs up at 9 s. Second call, at 11 s: ivy lets it ring (180, PRACK,
# 200), and henry cancels it at 14 s (200 to the CANCEL, 487, ACK)
if can prack 'command -v linphonec' linphone-cli; then
  linphone_homes prack henry ivy
  sed -i 's/^\[sip\]$/[sip]\n100rel_support_level=1/' "$work/prack/henry/rc"
  sed -i 's/^\[sip\]$/[sip]\n100rel_support_level=2/' "$work/prack/ivy/rc"
  capture_start prack "udp and (port 5060 or portrange 5086-5087)"
  { sleep 2; echo "soundcard use files"; sleep 4; echo answer; sleep 12; echo quit; sleep 2; } | linphone_console prack ivy & ivy=$!
  {
    sleep 3; echo "soundcard use files"; echo "call sip:ivy@127.0.0.1"; sleep 6; echo "terminate all"; sleep 2
    echo "call sip:ivy@127.0.0.1"; sleep 3; echo "terminate all"; sleep 2; echo quit; sleep 2
  } | linphone_console prack henry
  wait "$ivy" || true
  capture_stop prack
fi

# 8. sipsak, the SIP Swiss army knife support engineers probe servers with:
# one OPTIONS per run, each run a new Call-ID, and sipsak follows a 3xx to
# its first Contact itself. bob (5070) and carol (5071) now answer OPTIONS
# (real/options_uas.xml) instead of INVITE, so this capture comes last. It
# probes `moved` (302 from the registrar, no lifetime), `temporary` (302,
# 60 s), `choices` (300: sipsak does not follow it), `viaproxy` (305:
# sipsak puts the proxy's URI in the Request-URI instead of going through
# the proxy with the same one, and the proxy answers 404), and bob, whom the
# proxy forks to both his bindings
if can sipsak 'command -v sipsak' sipsak; then
  kill "$uas5070" "$uas5071"
  sleep 1
  for who in bob:5070 carol:5071; do
    sipp -sf "$cfg/options_uas.xml" -s "${who%:*}" -i 127.0.0.1 -p "${who#*:}" -nostdin >/dev/null 2>&1 & pids="$pids $!"
  done
  sleep 1
  capture_start sipsak "udp and (port 5060 or portrange 5070-5071 or port 5085 or port 5090)"
  uac "$cfg/register.xml" bob
  for callee in moved temporary choices viaproxy bob; do
    sipsak -l 5085 -H 127.0.0.1 -s "sip:$callee@127.0.0.1" >/dev/null 2>&1 || true  # (exit 1 on the 404)
    sleep 1
  done
  capture_stop sipsak
fi
