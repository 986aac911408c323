#!/usr/bin/env python3
"""Writes a large synthetic SIP capture for the tshark benchmarks:
  python3 bench/make_capture.py MESSAGES OUT.pcap [--rtp PACKETS] [--provisional] [--redirect-one-in K] [--tcp]
A mix of redirected calls (INVITE, 302, ACK, INVITE to the target, 200, ACK,
BYE, 200), plain calls (INVITE, 200, ACK, BYE, 200) and registrations
(REGISTER, 200), every one with its own Call-ID, tags and branches, over
UDP between a few hundred hosts. Deterministic: the same arguments give the
same bytes.

MESSAGES counts SIP messages only. With --rtp, the answered INVITE and its
200 carry SDP and each call sends PACKETS RTP packets (G.711, both ways)
between its ACK and its BYE: the shape of a field capture, where media
outnumbers signalling by far and sipresp has nothing to do for most frames.

With --provisional, every INVITE is answered by a 100 Trying first and the
answered one by a 180 Ringing before its 200, as stacks do in the field:
responses sipresp does not analyse, about a fifth of the messages.

With --redirect-one-in K, only every K-th scenario is a redirected call and
the other calls are plain, where by default half the scenarios are
redirected and every caller host gets a redirect: in the field redirects
are rare, and most requests come from callers no redirect ever answered.
A caller (host and From user) comes back every 251,000 scenarios (some
1.44M messages by default), so past that redirected callers call again.

With --tcp, SIP goes over TCP instead: one connection for each caller and
callee host pair (49,949 of them), kept open from call to call as phones
and trunks keep theirs, each message one segment, and a segment of no data
acknowledging the other side's bytes after each scenario. Every frame then
takes sipresp's TCP path: each message's place in its stream, and the TCP
frames without SIP looked up by connection."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pcaps"))
from make_handmade import checksum  # noqa: E402  (IPv4 header checksum)

T0 = 1_700_000_000
SIP_PORT = 5060


def frame(src, dst, payload, sport, dport):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + ip + udp


def tcp_frame(src, dst, payload, sport, dport, seq, ack):
    """one segment with ACK and, with data, PSH set; the TCP checksum left 0
    (Wireshark checks none by default)"""
    flags = 0x18 if payload else 0x10
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + ip + tcp


class TcpConnections:
    """the next sequence number each way of each caller-callee connection"""

    def __init__(self):
        self.next = {}

    def frames(self, caller, callee, payload, from_caller):
        """the frame carrying `payload` one way, acknowledging the other way"""
        key = (caller, callee)
        # initial sequence numbers from the hosts, so each stream starts apart
        out_seq, in_seq = self.next.get(key, (int.from_bytes(caller, "big") * 7919 & 0xFFFFFFFF,
                                              int.from_bytes(callee, "big") * 104729 & 0xFFFFFFFF))
        if from_caller:
            data = tcp_frame(caller, callee, payload, 40000 + caller[3], SIP_PORT, out_seq, in_seq)
            out_seq = (out_seq + len(payload)) & 0xFFFFFFFF
        else:
            data = tcp_frame(callee, caller, payload, SIP_PORT, 40000 + caller[3], in_seq, out_seq)
            in_seq = (in_seq + len(payload)) & 0xFFFFFFFF
        self.next[key] = (out_seq, in_seq)
        return data


def sip(lines, body=b""):
    head = "\r\n".join(lines)
    if body:
        head += "\r\nContent-Type: application/sdp"
    return (head + "\r\nContent-Length: %d\r\n\r\n" % len(body)).encode() + body


def sdp(n, addr, port):
    """an audio offer or answer of call n from addr"""
    return ("v=0\r\no=- %d 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" % (n, addr, addr, port)).encode()


def on_sip_port(messages):
    """(from caller?, SIP bytes) -> (from caller?, UDP payload, source port, destination port)"""
    return [(from_caller, payload, SIP_PORT, SIP_PORT) for from_caller, payload in messages]


def rtp_packets(n, count):
    """(from caller?, UDP payload, source port, destination port) of call n's media"""
    out = []
    for i in range(count):
        from_caller = i % 2 == 0
        seq = i // 2
        ssrc = (n * 2 + (0 if from_caller else 1)) & 0xFFFFFFFF
        header = struct.pack("!BBHII", 0x80, 0, seq & 0xFFFF, (seq * 160) & 0xFFFFFFFF, ssrc)
        out.append((from_caller, header + bytes([0xFF]) * 160, 20000 if from_caller else 30000,
                    30000 if from_caller else 20000))
    return out


def host(n):
    return bytes((10, (n >> 16) & 0xFF, (n >> 8) & 0xFF, n & 0xFF))


def dotted(b):
    return ".".join(str(x) for x in b)


def call_messages(n, rtp=0, provisional=False, redirect_one_in=0):
    """(from caller?, UDP payload, source port, destination port) of scenario n,
    with `rtp` media packets and, if `provisional`, 100 and 180 responses;
    with `redirect_one_in` K, only scenarios n = 0, K, 2K, ... are redirected"""
    kind = n % 4  # 2 in 4 redirected, 1 plain, 1 registration
    if redirect_one_in and kind != 3:
        kind = 0 if n % redirect_one_in == 0 else 2
    caller, callee = host(1 + n % 251), host(1000 + n % 199)
    c, d = dotted(caller), dotted(callee)
    via = "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK%d" % (c, n)
    frm = 'From: "User %d" <sip:u%d@example.com>;tag=f%d' % (n % 1000, n % 1000, n)
    cid = "Call-ID: %d-bench@%s" % (n, c)
    to = "To: <sip:b%d@example.com>" % (n % 5000)
    ruri = "sip:b%d@example.com" % (n % 5000)
    target = "sip:b%d@%s:5060" % (n % 5000, d)
    mf = "Max-Forwards: 70"
    if kind == 3:
        out = [
            (True, sip(["REGISTER sip:example.com SIP/2.0", via + "-r", frm, "To: <sip:u%d@example.com>" % (n % 1000),
                        cid, "CSeq: 1 REGISTER", "Contact: <sip:u%d@%s:5060>;expires=3600" % (n % 1000, c), mf])),
            (False, sip(["SIP/2.0 200 OK", via + "-r", frm, "To: <sip:u%d@example.com>;tag=r%d" % (n % 1000, n),
                         cid, "CSeq: 1 REGISTER", "Contact: <sip:u%d@%s:5060>;expires=3600" % (n % 1000, c)])),
        ]
        return on_sip_port(out)
    out = []
    cseq = 1

    def provisionals(branch, cseq, ringing_tag=None):
        if not provisional:
            return []
        trying = [(False, sip(["SIP/2.0 100 Trying", via + branch, frm, to, cid, "CSeq: %d INVITE" % cseq]))]
        if ringing_tag is None:
            return trying
        return trying + [(False, sip(["SIP/2.0 180 Ringing", via + branch, frm, to + ";tag=" + ringing_tag, cid,
                                      "CSeq: %d INVITE" % cseq, "Contact: <sip:b%d@%s:5060>" % (n % 5000, d)]))]

    if kind != 2:
        out += [
            (True, sip(["INVITE %s SIP/2.0" % ruri, via + "-1", frm, to, cid, "CSeq: 1 INVITE",
                        "Contact: <sip:u%d@%s:5060>" % (n % 1000, c), mf])),
        ] + provisionals("-1", 1) + [
            (False, sip(["SIP/2.0 302 Moved Temporarily", via + "-1", frm, to + ";tag=x%d" % n, cid, "CSeq: 1 INVITE",
                         "Contact: <%s>;q=0.7;expires=3600, <sip:vm@%s>;q=0.1" % (target, d)])),
            (True, sip(["ACK %s SIP/2.0" % ruri, via + "-1", frm, to + ";tag=x%d" % n, cid, "CSeq: 1 ACK", mf])),
        ]
        ruri = target
        cseq = 2
    offer, answer = (sdp(n, c, 20000), sdp(n, d, 30000)) if rtp else (b"", b"")
    out += [
        (True, sip(["INVITE %s SIP/2.0" % ruri, via + "-2", frm, to, cid, "CSeq: %d INVITE" % cseq,
                    "Contact: <sip:u%d@%s:5060>" % (n % 1000, c), mf], offer)),
    ] + provisionals("-2", cseq, "t%d" % n) + [
        (False, sip(["SIP/2.0 200 OK", via + "-2", frm, to + ";tag=t%d" % n, cid, "CSeq: %d INVITE" % cseq,
                     "Contact: <sip:b%d@%s:5060>" % (n % 5000, d)], answer)),
        (True, sip(["ACK sip:b%d@%s:5060 SIP/2.0" % (n % 5000, d), via + "-3", frm, to + ";tag=t%d" % n, cid,
                    "CSeq: %d ACK" % cseq, mf])),
    ]
    bye = [
        (True, sip(["BYE sip:b%d@%s:5060 SIP/2.0" % (n % 5000, d), via + "-4", frm, to + ";tag=t%d" % n, cid,
                    "CSeq: %d BYE" % (cseq + 1), mf])),
        (False, sip(["SIP/2.0 200 OK", via + "-4", frm, to + ";tag=t%d" % n, cid, "CSeq: %d BYE" % (cseq + 1)])),
    ]
    return on_sip_port(out) + rtp_packets(n, rtp) + on_sip_port(bye)


def main():
    args = sys.argv[1:]
    rtp = 0
    provisional = "--provisional" in args
    if provisional:
        args.remove("--provisional")
    redirect_one_in = 0
    if "--redirect-one-in" in args:
        at = args.index("--redirect-one-in")
        redirect_one_in = int(args[at + 1])
        del args[at:at + 2]
    tcp = "--tcp" in args
    if tcp:
        args.remove("--tcp")
    connections = TcpConnections()
    if "--rtp" in args:
        at = args.index("--rtp")
        rtp = int(args[at + 1])
        del args[at:at + 2]
    if len(args) != 2 or not args[0].isdigit():
        sys.exit("usage: " + __doc__.splitlines()[1].strip())  # the docstring's usage line
    total, path = int(args[0]), args[1]
    written = 0
    n = 0
    usec = 0
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))

        def write(data):
            nonlocal usec
            usec += 200  # 5000 packets per second
            f.write(struct.pack("<IIII", T0 + usec // 1_000_000, usec % 1_000_000, len(data), len(data)) + data)

        while written < total:
            caller, callee = host(1 + n % 251), host(1000 + n % 199)
            for from_caller, payload, sport, dport in call_messages(n, rtp, provisional, redirect_one_in):
                if written >= total:
                    break
                is_sip = SIP_PORT in (sport, dport)
                if tcp and is_sip:
                    payload = payload.replace(b"SIP/2.0/UDP", b"SIP/2.0/TCP")
                    data = connections.frames(caller, callee, payload, from_caller)
                else:
                    src, dst = (caller, callee) if from_caller else (callee, caller)
                    data = frame(src, dst, payload, sport, dport)
                write(data)
                if is_sip:  # SIP messages are counted, media comes on top
                    written += 1
            if tcp:
                write(connections.frames(caller, callee, b"", True))
            n += 1


if __name__ == "__main__":
    main()
