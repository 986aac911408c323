#!/bin/sh
# Writes pcaps/handmade/tls.pcapng: SIP over TLS on 127.0.0.1:5061 between
# openssl s_client and s_server, with the TLS session keys embedded (DSB) so
# Wireshark decrypts it without a key file. The client sends an INVITE and a
# 302 (the direction does not matter to the SIP dissector). Run as root
# (capture on lo); stops everything it starts.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $server $capture 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 3650 -subj /CN=sipresp-test 2>/dev/null
dumpcap -q -i lo -f "tcp port 5061" -w raw.pcapng 2>/dev/null & capture=$!
sleep 1
sleep 3 | openssl s_server -quiet -accept 5061 -cert cert.pem -key key.pem >/dev/null 2>&1 & server=$!
sleep 1
python3 "$here/make_handmade.py" --print-tls-payload > payload.sip
(cat payload.sip; sleep 1) | openssl s_client -quiet -connect 127.0.0.1:5061 -keylogfile keys.txt >/dev/null 2>&1 || true
sleep 1
kill $capture; wait $capture 2>/dev/null || true
editcap --inject-secrets tls,keys.txt raw.pcapng "$here/handmade/tls.pcapng"
echo "wrote $here/handmade/tls.pcapng"
