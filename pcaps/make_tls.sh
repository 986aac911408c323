#!/bin/sh
# Writes pcaps/handmade/tls.pcapng: SIP over TLS on 127.0.0.1:5061 between
# openssl s_client and s_server, with the TLS session keys embedded (DSB) so
# Wireshark decrypts it without a key file. The client sends an INVITE and a
# 302 (the direction does not matter to the SIP dissector), in one TLS
# record. `sh make_tls.sh split` writes handmade/tls_split.pcapng instead:
# the client writes the INVITE and the 302 up to its Contact, then, half a
# second later, the 302's rest, so the 302 goes on past its TLS record.
# `sh make_tls.sh sipfrag` writes handmade/tls_sipfrag.pcapng: four records
# (make_handmade.py, tls_sipfrag_parts), half a second apart: the second
# begins with a NOTIFY's message/sipfrag body ("SIP/2.0 200 OK"), a body
# line that reads as a status line; the third ends with "SIP/2.0 ", the
# start of a 302, as the 301 TLS completes in it begins.
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
python3 "$here/make_handmade.py" --print-tls-payload > payload.sip
if [ "$out" = tls.pcapng ]; then
    : > rest.sip
    cp payload.sip first.sip
elif [ "$out" = tls_sipfrag.pcapng ]; then
    for part in 1 2 3 4; do python3 "$here/make_handmade.py" --print-tls-sipfrag-part $part > part$part.sip; done
else
    # the cut: the 302's Contact header
    cut=$(python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); print(d.index(b"Contact", d.index(b"SIP/2.0 302")))' payload.sip)
    head -c "$cut" payload.sip > first.sip
    tail -c +"$((cut + 1))" payload.sip > rest.sip
fi
# (s_client writes what it reads at once: each part its own TLS record)
if [ "$out" = tls_sipfrag.pcapng ]; then
    (cat part1.sip; sleep 0.5; cat part2.sip; sleep 0.5; cat part3.sip; sleep 0.5; cat part4.sip; sleep 1) |
        openssl s_client -quiet -connect 127.0.0.1:5061 -keylogfile keys.txt >/dev/null 2>&1 || true
else
(cat first.sip; sleep 0.5; cat rest.sip; sleep 1) | openssl s_client -quiet -connect 127.0.0.1:5061 -keylogfile keys.txt >/dev/null 2>&1 || true
fi
sleep 1
kill $capture; wait $capture 2>/dev/null || true
editcap --inject-secrets tls,keys.txt raw.pcapng "$here/handmade/$out"
echo "wrote $here/handmade/$out"
