# Drives jack, a Jami daemon (jamid, pjsip inside) with one SIP account,
# for real/jami.pcap. Run by make_real.sh inside its own D-Bus session
# (dbus-run-session), HOME a fresh folder: jamid is driven over D-Bus only.
#   sh jack.sh DONE QUIT CALLEE...
# jack registers with kamailio from 5088 (UDP, no SRTP, no video, answers
# every call itself), calls each CALLEE (sip:CALLEE@127.0.0.1 unless it
# names a host) and hangs up 3 s later; then touches DONE, keeps answering
# until QUIT exists, and quits, which removes his binding. The calls he
# places carry an SDP offer with no media line (placeCall sets up no media
# here; placeCallWithMedia timed out, stuck setting up ICE), so he turns
# down any answer with a BYE; calls he answers carry audio.
set -eu
done_file=$1 quit_file=$2; shift 2
/usr/libexec/jamid --console --auto-answer >"$HOME/jamid.log" 2>&1 &
jamid=$!
sleep 3
bus() {  # bus OBJECT METHOD ARGS...: one D-Bus call to jamid, its string answer unquoted
  object=$1 method=$2; shift 2
  gdbus call --session --dest cx.ring.Ring --object-path "/cx/ring/Ring/$object" \
    --method "cx.ring.Ring.$object.$method" "$@" | sed -n "s/^('\(.*\)',)$/\1/p"
}
# (SRTP off: the SIPp UAs answer plain RTP/AVP, which jamid would refuse)
account=$(bus ConfigurationManager addAccount "{'Account.type': 'SIP', 'Account.alias': 'jack',
  'Account.username': 'jack', 'Account.hostname': '127.0.0.1', 'Account.localInterface': 'lo',
  'Account.localPort': '5088', 'Account.publishedPort': '5088', 'Account.upnpEnabled': 'false',
  'Account.allowIPAutoRewrite': 'false', 'Account.videoEnabled': 'false', 'Account.autoAnswer': 'true',
  'Account.ringtoneEnabled': 'false', 'SRTP.keyExchange': ''}")
sleep 3
for callee; do
  case $callee in *@*) ;; *) callee=$callee@127.0.0.1 ;; esac
  call=$(bus CallManager placeCall "$account" "sip:$callee")
  sleep 3
  bus CallManager hangUp "$account" "$call" >/dev/null || true  # (a call its 3xx ended is gone already)
  sleep 1
done
touch "$done_file"
while [ ! -f "$quit_file" ]; do sleep 1; done
kill "$jamid"; wait "$jamid" || true
