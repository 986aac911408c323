#!/usr/bin/env python3
"""Writes a capture made to be slow for sipresp's call tracking, to measure
the bound on what one message compares with remembered URIs
(CaptureTracker::kCompareBudget; bench/HISTORY.md, seventeenth session):
  python3 bench/make_long_uri_walk.py PARAMETERS FOLLOWS OUT.pcap [--short-requests]
One call: 64 INVITEs each answered by a 302 to 16 Contacts
sip:x@h.example.net with PARAMETERS parameters and one more telling them
apart, so that every target has the digest of the requests that follow;
then FOLLOWS INVITEs in the same call to such a URI (with --short-requests,
to sip:x@h.example.net alone, which names them all: 19.1.4 ignores a
parameter one side lacks). Compare, e.g.:
  python3 bench/make_long_uri_walk.py 300 1000 /tmp/walk.pcap
  time sh scripts/tshark-with-plugin.sh -r /tmp/walk.pcap > /dev/null
  time sh scripts/tshark-with-plugin.sh -r /tmp/walk.pcap --disable-protocol sipresp > /dev/null
Deterministic: the same arguments give the same bytes."""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pcaps"))
import make_handmade as handmade  # noqa: E402  (its SIP and pcap writers)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("parameters", type=int)
    parser.add_argument("follows", type=int)
    parser.add_argument("out")
    parser.add_argument("--short-requests", action="store_true")
    args = parser.parse_args()
    params = "".join(";p%03d=v" % i for i in range(args.parameters))
    followed = "sip:x@h.example.net" if args.short_requests else "sip:x@h.example.net%s;z=63-0" % params
    flow = handmade.Flow()
    cseq = 1
    for i in range(64):
        contacts = "".join("Contact: <sip:x@h.example.net%s;z=%d-%d>\n" % (params, i, k) for k in range(16))
        flow.send(handmade.request("INVITE", "sip:r%d@example.com" % i, "walk", cseq=cseq))
        flow.send(handmade.response("302 Moved Temporarily", "INVITE", "walk", cseq=cseq, extra=contacts),
                  from_uac=False)
        cseq += 1
    for _ in range(args.follows):
        flow.send(handmade.request("INVITE", followed, "walk", cseq=cseq))
        cseq += 1
    handmade.OUT = os.path.dirname(os.path.abspath(args.out))
    handmade.write_pcap(os.path.basename(args.out), flow.frames)


if __name__ == "__main__":
    main()
