#!/usr/bin/env python3
"""Seeds for fuzz_core from the captures in pcaps/ (every frame, as a whole
frame with its transport ports, and runs of consecutive SIP datagrams as one
TCP stream) and the SIP text of the unit tests' pcaps.
  python3 fuzz/make_seeds.py OUT_DIR"""
import os
import struct
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    if struct.unpack("<I", data[:4])[0] != 0xA1B2C3D4:
        return  # pcapng (TLS capture): skipped
    at = 24
    while at + 16 <= len(data):
        _, _, incl, _ = struct.unpack("<IIII", data[at:at + 16])
        yield data[at + 16:at + 16 + incl]
        at += 16 + incl


# the fuzzer's -max_len: a run of messages is cut to fit it
MAX_LEN = 4096


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    n = runs = 0
    for root, _, files in os.walk(os.path.join(TOP, "pcaps")):
        for name in sorted(files):
            if not name.endswith(".pcap"):
                continue
            run = b""
            for frame in frames(os.path.join(root, name)):
                # Ethernet + IPv4: protocol at 23, ports right after the IP header
                if len(frame) < 42 or frame[12:14] != b"\x08\x00":
                    continue
                ihl = (frame[14] & 0x0F) * 4
                proto = frame[23]
                ports = frame[14 + ihl:14 + ihl + 4]
                kind = {17: 1, 6: 2, 132: 3}.get(proto, 0)
                with open(os.path.join(out, "frame-%05d" % n), "wb") as f:
                    f.write(bytes([kind]) + ports + b"\x01" + frame)
                n += 1
                # Consecutive SIP datagrams as one TCP stream: a redirect
                # chain (INVITE, 3xx, ACK, INVITE...) in one input, so that
                # the tracker's links and chain walks are reached too.
                payload = frame[14 + ihl + 8:] if proto == 17 else b""
                if not payload[:3].isalpha():
                    continue
                if len(run) + len(payload) > MAX_LEN - 6 and run:
                    with open(os.path.join(out, "run-%05d" % runs), "wb") as f:
                        f.write(b"\x02\x13\xc4\x13\xc4\x00" + run)  # TCP, 5060 -> 5060, not a whole frame
                    runs += 1
                    run = b""
                run += payload[:MAX_LEN - 6]
    print("wrote %d seeds and %d runs of messages to %s" % (n, runs, out))


if __name__ == "__main__":
    main()
