#!/usr/bin/env python3
"""Writes the fuzzer's inputs as one capture, so that what the fuzzer found
in the core also goes through the plugin inside tshark (the SIP dissector's
view of the bytes, the tree, the fields, the expert items): fuzz_core.cpp
drives the core alone. Each input becomes one frame, read by its 6-byte
hint as fuzz_core.cpp reads it:
  - a whole frame (byte 5, bit 0) that starts like Ethernet and IPv4 is
    written as it is;
  - otherwise the buffer is the payload of one UDP datagram, TCP segment
    (its own connection) or SCTP DATA chunk (byte 0, bits 0-1), between
    port 5060 and a port from the hint, every other frame the other way, so
    that requests and responses of one call can meet;
  - a buffer the capture cut short (byte 5, bit 1) is written with an
    original length 100 bytes longer than the bytes kept;
  - the time to the next frame is the gap byte 5 picks (bits 2-4).
  python3 fuzz/corpus_pcap.py OUT.pcap INPUT_DIR...
Used by tests/tshark/test_fuzz_corpus.py; by hand, for valgrind:
  python3 fuzz/corpus_pcap.py /tmp/corpus.pcap DIR && sh scripts/memcheck.sh /tmp/corpus.pcap"""
import os
import struct
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(TOP, "pcaps"))
import make_handmade as wire  # noqa: E402  (the captures' frame builders)

SIP_PORT = 5060
# fuzz_core.cpp's gaps, in seconds; pattern 0 is a second
GAPS = (1, 50e-6, 0, 0.3, 0.7, 33, 3601, 40 * 3600)


def inputs(dirs):
    for d in dirs:
        for name in sorted(os.listdir(d)):
            with open(os.path.join(d, name), "rb") as f:
                yield f.read()


def frame_of(index, data):
    """(frame bytes, original length) for one fuzz input, None if too short"""
    if len(data) < 6:
        return None
    kind, flags, buffer = data[0] & 3, data[5], data[6:]
    if flags & 1 and buffer[12:14] == b"\x08\x00" and len(buffer) >= 34:
        frame = buffer
    else:
        port = 10000 + (data[1] << 8 | data[2]) % 50000
        ends = [("10.%d.%d.1" % (index >> 8 & 255, index & 255), port), ("192.0.2.1", SIP_PORT)]
        if index % 2:
            ends.reverse()
        (src, sport), (dst, dport) = ends
        if kind == 2:
            frame = wire.tcp(src, sport, dst, dport, 1, 1, 0x18, buffer)  # PSH ACK, its own connection
        elif kind == 3:
            frame = wire.sctp(src, dst, SIP_PORT, [(index, buffer)])
        else:
            frame = wire.udp(src, sport, dst, dport, buffer)
    return frame, len(frame) + (100 if flags & 2 else 0)


def main():
    out, dirs = sys.argv[1], sys.argv[2:]
    frames, at = [], 0.0
    for data in inputs(dirs):
        made = frame_of(len(frames), data)
        if made is None:
            continue
        frame, original = made
        # write_pcap's third item is the bytes kept: here all of them, and
        # the original length says what the capture did not keep
        frames.append((at, frame + b"\0" * (original - len(frame)), len(frame)))
        pattern = data[5] >> 2 & 7
        at += GAPS[pattern] if pattern else 1
    wire.write_pcap(os.path.abspath(out), frames)  # an absolute name: not under pcaps/handmade
    print("wrote %d frames to %s" % (len(frames), out))


if __name__ == "__main__":
    main()
