#!/bin/sh
# Writes pcaps/handmade/tls.pcapng: SIP over TLS on 127.0.0.1:5061 between
# openssl s_client and s_server, with the TLS session keys embedded (DSB) so
# Wireshark decrypts it without a key file. The client sends an INVITE and a
# 302 (the direction does not matter to the SIP dissector), in one TLS
# record. `sh make_tls.sh split` writes handmade/tls_split.pcapng instead:
# the client writes the INVITE and the 302 up to its Contact, then, half a
# second later, the 302's rest, so the 302 goes on past its TLS record.
# `sh make_tls.sh sipfrag` writes handmade/tls_sipfrag.pcapng: an INVITE and
# a transfer's NOTIFY up to its body in one record, then the NOTIFY's
# message/sipfrag body ("SIP/2.0 200 OK") and the 302 to the INVITE in the
# next, so that record's plaintext begins with a body line that reads as a
# status line.
# Run as root (capture on lo); stops everything it starts.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
case "${1:-}" in
    "") out=tls.pcapng ;;
    split) out=tls_split.pcapng ;;
    sipfrag) out=tls_sipfrag.pcapng ;;
    *) echo "usage: sh make_tls.sh [split|sipfrag]" >&2; exit 2 ;;
esac
work=$(mktemp -d)
trap 'kill $server $capture 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 3650 -subj /CN=sipresp-test 2>/dev/null
dumpcap -q -i lo -f "tcp port 5061" -w raw.pcapng 2>/dev/null & capture=$!
sleep 1
sleep 4 | openssl s_server -quiet -accept 5061 -cert cert.pem -key key.pem >/dev/null 2>&1 & server=$!
sleep 1
if [ "$out" = tls_sipfrag.pcapng ]; then
    python3 "$here/make_handmade.py" --print-tls-sipfrag-payload > payload.sip
else
    python3 "$here/make_handmade.py" --print-tls-payload > payload.sip
fi
if [ "$out" = tls.pcapng ]; then
    : > rest.sip
    cp payload.sip first.sip
elif [ "$out" = tls_sipfrag.pcapng ]; then
    # the cut: the NOTIFY's body
    cut=$(python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); print(d.index(b"\r\n\r\nSIP/2.0 200 OK") + 4)' payload.sip)
    head -c "$cut" payload.sip > first.sip
    tail -c +"$((cut + 1))" payload.sip > rest.sip
else
    # the cut: the 302's Contact header
    cut=$(python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); print(d.index(b"Contact", d.index(b"SIP/2.0 302")))' payload.sip)
    head -c "$cut" payload.sip > first.sip
    tail -c +"$((cut + 1))" payload.sip > rest.sip
fi
# (s_client writes what it reads at once: each part its own TLS record)
(cat first.sip; sleep 0.5; cat rest.sip; sleep 1) | openssl s_client -quiet -connect 127.0.0.1:5061 -keylogfile keys.txt >/dev/null 2>&1 || true
sleep 1
kill $capture; wait $capture 2>/dev/null || true
editcap --inject-secrets tls,keys.txt raw.pcapng "$here/handmade/$out"
echo "wrote $here/handmade/$out"
