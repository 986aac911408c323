#!/usr/bin/env python3
"""Writes the hand-made captures in pcaps/handmade/: SIP text we wrote to
pin one behaviour each (every rule, a clean call set, TCP framing).
Real-stack captures come from pcaps/make_real.sh. Rerun: python3 make_handmade.py"""
import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "handmade")
T0 = 1_700_000_000  # 2023-11-14 22:13:20 UTC


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def ipv4(src, dst, proto, payload, ident=0, fragment=0x4000):
    """fragment: the flags and fragment offset field (RFC 791); by default
    a whole datagram, Don't Fragment set"""
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, fragment, 64, proto, 0, ip4(src), ip4(dst))
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return hdr + payload


def ether(payload):
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00" + payload


def udp(src, sport, dst, dport, payload):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    return ether(ipv4(src, dst, 17, seg))


def tcp(src, sport, dst, dport, seq, ack, flags, payload=b""):
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 6, len(seg))
    seg = seg[:16] + struct.pack("!H", checksum(pseudo + seg)) + seg[18:]
    return ether(ipv4(src, dst, 6, seg))


def crc32c(data):
    """CRC-32C (Castagnoli), the SCTP checksum (RFC 9260 appendix B)"""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def sctp(src, dst, port, chunks, flags=0x03, ssn=None):
    """an SCTP packet between `port` on both sides; chunks: (TSN, user message), one DATA chunk each;
    flags B and E (0x03): each chunk a whole user message, B alone its first fragment, E its last
    (the fragments of one message share their stream sequence number, `ssn`)"""
    body = b""
    for tsn, payload in chunks:
        seq = tsn & 0xFFFF if ssn is None else ssn
        chunk = struct.pack("!BBHIHHI", 0, flags, 16 + len(payload), tsn, 0, seq, 0) + payload
        body += chunk + b"\0" * ((4 - len(chunk) % 4) % 4)
    packet = struct.pack("!HHII", port, port, 0x5CA1AB1E, 0) + body
    packet = packet[:8] + struct.pack("<I", crc32c(packet)) + packet[12:]
    return ether(ipv4(src, dst, 132, packet))


def icmp_unreachable(src, dst, quoted_frame):
    """an ICMP port unreachable (type 3 code 3) from src quoting the IP datagram of `quoted_frame`"""
    message = struct.pack("!BBHI", 3, 3, 0, 0) + quoted_frame[14:]
    message = message[:2] + struct.pack("!H", checksum(message)) + message[4:]
    return ether(ipv4(src, dst, 1, message))


def write_pcap(name, frames):
    """frames: list of (seconds after T0, frame bytes), or (seconds, frame
    bytes, bytes kept) for a frame the capture cut short (a snapshot length)"""
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for t, data, *kept in frames:
            sec = int(t)
            usec = int(round((t - sec) * 1e6))
            kept = kept[0] if kept else len(data)
            f.write(struct.pack("<IIII", T0 + sec, usec, kept, len(data)) + data[:kept])


def sip(text, body=""):
    """SIP text with '\n' line ends; Content-Length added unless given."""
    lines = text.strip("\n").split("\n")
    if not any(l.lower().startswith(("content-length:", "l:")) for l in lines):
        lines.append("Content-Length: %d" % len(body.encode()))
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


UAC, UAS = "192.0.2.10", "192.0.2.20"


def request(method, ruri, call, cseq=1, branch=None, extra="", to_tag=None, body=""):
    branch = branch or "z9hG4bK-%s-%d" % (call, cseq)
    to = "<sip:bob@example.com>" + (";tag=%s" % to_tag if to_tag else "")
    return sip(
        f"""{method} {ruri} SIP/2.0
Via: SIP/2.0/UDP {UAC}:5060;branch={branch}
Max-Forwards: 70
From: "Alice" <sip:alice@example.com>;tag=a-{call}
To: {to}
Call-ID: {call}@{UAC}
CSeq: {cseq} {method}
{extra}""", body)


def response(status, method, call, cseq=1, branch=None, extra="", body="", to_tag="b1"):
    branch = branch or "z9hG4bK-%s-%d" % (call, cseq)
    return sip(
        f"""SIP/2.0 {status}
Via: SIP/2.0/UDP {UAC}:5060;branch={branch}
From: "Alice" <sip:alice@example.com>;tag=a-{call}
To: <sip:bob@example.com>;tag={to_tag}
Call-ID: {call}@{UAC}
CSeq: {cseq} {method}
{extra}""", body)


class Flow:
    def __init__(self):
        self.frames = []
        self.t = 0.0

    def send(self, data, from_uac=True, gap=0.010):
        self.t += gap
        src, dst = (UAC, UAS) if from_uac else (UAS, UAC)
        self.frames.append((self.t, udp(src, 5060, dst, 5060, data)))

    def ack(self, call, ruri="sip:bob@example.com", cseq=1, branch=None):
        self.send(request("ACK", ruri, call, cseq, branch=branch, to_tag="b1"))


CONTACT_A = "Contact: <sip:alice@192.0.2.10>\n"


def rules_capture():
    """One transaction per rule that must fire (RULES.md sections 4-5), in
    catalogue order; pcaps/README.md lists the frames."""
    f = Flow()
    inv = lambda call, ruri="sip:bob@example.com", **kw: request("INVITE", ruri, call, extra=CONTACT_A, **kw)

    def redirect(call, status, extra, method="INVITE", ruri="sip:bob@example.com", body=""):
        f.send(request(method, ruri, call, extra=CONTACT_A))
        f.send(response(status, method, call, extra=extra, body=body), from_uac=False)
        if method == "INVITE":
            f.ack(call, ruri)

    redirect("r-no-contact", "302 Moved Temporarily", "")
    redirect("r-305-no-contact", "305 Use Proxy", "")
    redirect("r-380-no-body", "380 Alternative Service", "")
    f.send(request("REGISTER", "sip:example.com", "r-wildcard", extra="Contact: <sip:alice@192.0.2.10>;expires=60\n"))
    f.send(response("200 OK", "REGISTER", "r-wildcard", extra="Contact: *\n"), from_uac=False)
    redirect("r-expires-bad", "302 Moved Temporarily", "Contact: <sip:bob@192.0.2.4>\nExpires: Thu, 01 Dec 1994 16:00:00 GMT\n")
    redirect("r-cexp-bad", "302 Moved Temporarily", 'Contact: <sip:bob@192.0.2.4>;expires="Thu, 01 Dec 1994 16:00:00 GMT"\n')
    redirect("r-out-of-range", "302 Moved Temporarily", "Contact: <sip:bob@192.0.2.4>;expires=4294967296\n")
    redirect("r-two-expires", "302 Moved Temporarily", "Contact: <sip:bob@192.0.2.4>\nExpires: 60\nExpires: 120\n")
    redirect("r-bad-q", "300 Multiple Choices", "Contact: <sip:bob@192.0.2.4>;q=1.5, <sip:bob@192.0.2.5>;q=0.5\n")
    redirect("r-duplicate", "300 Multiple Choices", "Contact: <sip:bob@192.0.2.4>;q=0.5, <sip:bob@192.0.2.4;lr>;q=0.2\n")
    redirect("r-zero", "302 Moved Temporarily", "Contact: <sip:bob@192.0.2.4>;expires=0\n")
    redirect("r-unregistered", "399 Something Else", "Contact: <sip:bob@192.0.2.4>\n")
    # 2xx to INVITE: send INVITE, 200, ACK
    def answered(call, contact_lines, method="INVITE", status="200 OK", ruri="sip:bob@example.com", req_extra=CONTACT_A, to_tag=None):
        f.send(request(method, ruri, call, extra=req_extra, to_tag=to_tag))
        f.send(response(status, method, call, extra=contact_lines), from_uac=False)
        if method == "INVITE":
            f.ack(call, ruri)

    answered("r-uri-headers", "Contact: <sip:bob@192.0.2.20?Subject=hi>\n")
    answered("r-2xx-no-contact", "")
    answered("r-2xx-two-contacts", "Contact: <sip:bob@192.0.2.20>, <sip:bob@192.0.2.21>\n")
    answered("r-2xx-tel", "Contact: <tel:+12015550123>\n")
    f.send(request("REGISTER", "sip:example.com", "r-reg-no-exp", extra="Contact: <sip:alice@192.0.2.10>\nExpires: 60\n"))
    f.send(response("200 OK", "REGISTER", "r-reg-no-exp", extra="Contact: <sip:alice@192.0.2.10>\nExpires: 60\n"), from_uac=False)
    # a response to ACK: nothing answers ACK, so there is no request record either
    f.send(response("200 OK", "ACK", "r-ack"), from_uac=False)
    # CANCEL redirected: INVITE, CANCEL, 302 to CANCEL
    f.send(inv("r-cancel"))
    f.send(request("CANCEL", "sip:bob@example.com", "r-cancel"))
    f.send(response("302 Moved Temporarily", "CANCEL", "r-cancel", extra="Contact: <sip:bob@192.0.2.4>\n"), from_uac=False)
    answered("r-204-publish", "", method="PUBLISH", status="204 No Notification")
    answered("r-202-subscribe", "Contact: <sip:bob@192.0.2.20>\nExpires: 60\n", method="SUBSCRIBE", status="202 Accepted",
             req_extra="Event: presence\nExpires: 60\n" + CONTACT_A)
    # section 5
    redirect("r-loop", "302 Moved Temporarily", "Contact: <sip:bob@example.com>\n")
    redirect("r-sips-down", "302 Moved Temporarily", "Contact: <sip:bob@192.0.2.4>\n", ruri="sips:bob@example.com")
    answered("r-sips-2xx", "Contact: <sip:bob@192.0.2.20>\n", ruri="sips:bob@example.com")
    answered("r-204-initial", "Contact: <sip:bob@192.0.2.20>\nExpires: 60\n", method="SUBSCRIBE", status="204 No Notification",
             req_extra="Event: presence\nExpires: 60\n" + CONTACT_A)
    # a loop too: the headers of a target do not go on the request line (19.1.5)
    redirect("r-loop-headers", "302 Moved Temporarily", "Contact: <sip:bob@example.com?Subject=again>\n")
    # a REFER sent outside a dialog opens one (RFC 3515 2): its 202 owes a
    # Contact, which only its request shows was due (section 4's rule, last
    # because it needs the request as section 5's do)
    answered("r-refer-no-contact", "", method="REFER", status="202 Accepted",
             req_extra=CONTACT_A + "Refer-To: <sip:carol@example.com>\n")
    write_pcap("rules.pcap", f.frames)


def clean_capture():
    """Conformant traffic: sipresp must raise no Warning and no Error."""
    f = Flow()
    # registration with two bindings
    f.send(request("REGISTER", "sip:example.com", "c-reg", extra="Contact: <sip:alice@192.0.2.10>;expires=3600\nExpires: 3600\n"))
    f.send(response("200 OK", "REGISTER", "c-reg",
                    extra="Contact: <sip:alice@192.0.2.10>;expires=3600, <sip:alice@198.51.100.7>;expires=120\n"), from_uac=False)
    # redirected call: 302 with two targets, then the call to the first target
    f.send(request("INVITE", "sip:bob@example.com", "c-call", extra=CONTACT_A))
    f.send(response("302 Moved Temporarily", "INVITE", "c-call",
                    extra='Contact: "Bob" <sip:bob@192.0.2.4>;q=0.7;expires=3600, <sip:bob@198.51.100.9>;q=0.1\n'), from_uac=False)
    f.ack("c-call")
    f.send(request("INVITE", "sip:bob@192.0.2.4", "c-call", cseq=2, extra=CONTACT_A))
    f.send(response("200 OK", "INVITE", "c-call", cseq=2, extra="Contact: <sip:bob@192.0.2.4>\n"), from_uac=False)
    f.send(request("ACK", "sip:bob@192.0.2.4", "c-call", cseq=2, branch="z9hG4bK-c-call-ack", to_tag="b1"))
    f.send(request("BYE", "sip:bob@192.0.2.4", "c-call", cseq=3, to_tag="b1"), gap=1.0)
    f.send(response("200 OK", "BYE", "c-call", cseq=3), from_uac=False)
    # a 301, well-formed (a 305 comes last)
    f.send(request("INVITE", "sip:carol@example.com", "c-301", extra=CONTACT_A))
    f.send(response("301 Moved Permanently", "INVITE", "c-301", extra="Contact: <sip:carol@example.net>\n"), from_uac=False)
    f.ack("c-301", "sip:carol@example.com")
    f.send(request("OPTIONS", "sip:bob@example.com", "c-options"))
    f.send(response("200 OK", "OPTIONS", "c-options", extra="Allow: INVITE, ACK, BYE, CANCEL, OPTIONS\n"), from_uac=False)
    # a 305 whose Expires gives a lifetime: still for this one request (21.3.4)
    f.send(request("INVITE", "sip:dave@example.com", "c-305", extra=CONTACT_A))
    f.send(response("305 Use Proxy", "INVITE", "c-305", extra="Contact: <sip:proxy.example.net>\nExpires: 600\n"),
           from_uac=False)
    f.ack("c-305", "sip:dave@example.com")
    # presence published for 1800 s (RFC 3903): the 200 says how long it lasts
    f.send(request("PUBLISH", "sip:alice@example.com", "c-publish", extra="Event: presence\nExpires: 3600\n"))
    f.send(response("200 OK", "PUBLISH", "c-publish", extra="SIP-ETag: dx200xyz\nExpires: 1800\n"), from_uac=False)
    # a presence subscription for 600 s, then its unsubscribe: the 200 to
    # the SUBSCRIBE with Expires: 0 grants 0 s and the last NOTIFY says
    # terminated (RFC 6665 4.1.2.3)
    event = "Event: presence\n"
    f.send(request("SUBSCRIBE", "sip:bob@example.com", "c-sub", extra=CONTACT_A + event + "Expires: 600\n"))
    f.send(response("200 OK", "SUBSCRIBE", "c-sub", extra="Contact: <sip:bob@192.0.2.4>\nExpires: 600\n"),
           from_uac=False)
    f.send(notify("c-sub", 1, "active;expires=600"), from_uac=False)
    f.send(notify_ok("c-sub", 1))
    f.send(request("SUBSCRIBE", "sip:bob@192.0.2.4", "c-sub", cseq=2, to_tag="b1",
                   extra=CONTACT_A + event + "Expires: 0\n"), gap=1.0)
    f.send(response("200 OK", "SUBSCRIBE", "c-sub", cseq=2, extra="Contact: <sip:bob@192.0.2.4>\nExpires: 0\n"),
           from_uac=False)
    f.send(notify("c-sub", 2, "terminated;reason=timeout"), from_uac=False)
    f.send(notify_ok("c-sub", 2))
    # the presence published above, removed: its 200 grants 0 s (RFC 3903 4.5)
    f.send(request("PUBLISH", "sip:alice@example.com", "c-publish", cseq=2,
                   extra="Event: presence\nSIP-If-Match: dx200xyz\nExpires: 0\n"))
    f.send(response("200 OK", "PUBLISH", "c-publish", cseq=2, extra="SIP-ETag: dx200xyz\nExpires: 0\n"),
           from_uac=False)
    # the two bindings of frame 2 removed one at a time: the first 200 lists
    # the one left, the last lists the removed one at 0 s, as some
    # registrars do; either way none remains (RFC 3261 10.3 step 8)
    f.send(request("REGISTER", "sip:example.com", "c-reg", cseq=2,
                   extra="Contact: <sip:alice@198.51.100.7>;expires=0\n"), gap=1.0)
    f.send(response("200 OK", "REGISTER", "c-reg", cseq=2, extra="Contact: <sip:alice@192.0.2.10>;expires=3598\n"),
           from_uac=False)
    f.send(request("REGISTER", "sip:example.com", "c-reg", cseq=3,
                   extra="Contact: <sip:alice@192.0.2.10>;expires=0\n"))
    f.send(response("200 OK", "REGISTER", "c-reg", cseq=3, extra="Contact: <sip:alice@192.0.2.10>;expires=0\n"),
           from_uac=False)
    # a REFER sent outside a dialog opens one (RFC 3515 2): its 202 carries
    # the Contact that sets the remote target (RFC 3261 12.1.1)
    f.send(request("REFER", "sip:bob@example.com", "c-refer", extra=CONTACT_A + "Refer-To: <sip:carol@example.com>\n"))
    f.send(response("202 Accepted", "REFER", "c-refer", extra="Contact: <sip:bob@192.0.2.4>\n"), from_uac=False)
    # registration queries: a REGISTER without Contact changes nothing and
    # its 200 lists what the registrar holds (RFC 3261 10.2.3): none left
    # since frame 34; another registration (its own Call-ID) binds one
    # Contact, then asks
    f.send(request("REGISTER", "sip:example.com", "c-reg", cseq=4), gap=1.0)
    f.send(response("200 OK", "REGISTER", "c-reg", cseq=4), from_uac=False)
    f.send(request("REGISTER", "sip:example.com", "c-reg2",
                   extra="Contact: <sip:carol@192.0.2.10>;expires=600\n"))
    f.send(response("200 OK", "REGISTER", "c-reg2",
                    extra="Contact: <sip:carol@192.0.2.10>;expires=600\n"), from_uac=False)
    f.send(request("REGISTER", "sip:example.com", "c-reg2", cseq=2), gap=2.0)
    f.send(response("200 OK", "REGISTER", "c-reg2", cseq=2,
                    extra="Contact: <sip:carol@192.0.2.10>;expires=598\n"), from_uac=False)
    write_pcap("clean.pcap", f.frames)


def registrar_capture():
    """A registrar that keeps bindings it was told to remove (RFC 3261 10.3
    steps 6-7), alice's phones re-registering under one Call-ID:
    1-2  REGISTER removing .10 by its expires parameter; the 200 still lists
         .10 (3400 s) beside .11 (1800 s)
    3-4  REGISTER removing .11 by Expires: 0; the 200 still lists .11
    5-6  REGISTER with Contact: * and Expires: 0; the 200 still lists .10
    7-8  an outbound flow (RFC 5626) removed, reg-id=1; the 200 lists the
         same instance's flow reg-id=2, another binding: nothing kept
    """
    f = Flow()
    instance = '+sip.instance="<urn:uuid:00000000-0000-1000-8000-000000000001>"'
    steps = [
        ("Contact: <sip:alice@192.0.2.10>;expires=0\n",
         "Contact: <sip:alice@192.0.2.10>;expires=3400, <sip:alice@192.0.2.11>;expires=1800\n"),
        ("Contact: <sip:alice@192.0.2.11>\nExpires: 0\n",
         "Contact: <sip:alice@192.0.2.11>;expires=1790, <sip:alice@192.0.2.10>;expires=3390\n"),
        ("Contact: *\nExpires: 0\n", "Contact: <sip:alice@192.0.2.10>;expires=3380\n"),
        ("Contact: <sip:alice@192.0.2.12;ob>;%s;reg-id=1;expires=0\n" % instance,
         "Contact: <sip:alice@192.0.2.12;ob>;%s;reg-id=2;expires=3600\n" % instance),
    ]
    for cseq, (asked, listed) in enumerate(steps, 1):
        f.send(request("REGISTER", "sip:example.com", "g-reg", cseq=cseq, extra=asked), gap=10.0)
        f.send(response("200 OK", "REGISTER", "g-reg", cseq=cseq, extra=listed), from_uac=False)
    write_pcap("registrar.pcap", f.frames)


def notify(call, cseq, state):
    """The notifier's (bob's) NOTIFY in the dialog of `call`'s SUBSCRIBE."""
    return sip(
        f"""NOTIFY sip:alice@192.0.2.10 SIP/2.0
Via: SIP/2.0/UDP {UAS}:5060;branch=z9hG4bK-{call}-notify-{cseq}
Max-Forwards: 70
From: <sip:bob@example.com>;tag=b1
To: "Alice" <sip:alice@example.com>;tag=a-{call}
Call-ID: {call}@{UAC}
CSeq: {cseq} NOTIFY
Contact: <sip:bob@192.0.2.4>
Event: presence
Subscription-State: {state}
""")


def notify_ok(call, cseq):
    return sip(
        f"""SIP/2.0 200 OK
Via: SIP/2.0/UDP {UAS}:5060;branch=z9hG4bK-{call}-notify-{cseq}
From: <sip:bob@example.com>;tag=b1
To: "Alice" <sip:alice@example.com>;tag=a-{call}
Call-ID: {call}@{UAC}
CSeq: {cseq} NOTIFY
""")


def calls_capture():
    """Calls across messages (RULES.md section 6), one Call-ID prefix per
    scenario; pcaps/README.md says what each must show."""
    f = Flow()

    def redirect(call, ruri, status, contacts, cseq=1, ack=True, gap=0.010):
        f.send(request("INVITE", ruri, call, cseq=cseq, extra=CONTACT_A), gap=gap)
        f.send(response(status, "INVITE", call, cseq=cseq, extra=contacts), from_uac=False)
        if ack:
            f.ack(call, ruri, cseq=cseq)

    def call(call, ruri, cseq=1, gap=0.010, status="200 OK"):
        f.send(request("INVITE", ruri, call, cseq=cseq, extra=CONTACT_A), gap=gap)
        f.send(response(status, "INVITE", call, cseq=cseq, extra="Contact: <sip:bob@192.0.2.20>\n"), from_uac=False)
        if status.startswith("2"):
            f.send(request("ACK", "sip:bob@192.0.2.20", call, cseq=cseq, branch="z9hG4bK-%s-%d-ack" % (call, cseq),
                           to_tag="b1"))
        else:
            f.ack(call, ruri, cseq=cseq)

    # followed: 302, the caller calls its target; everything ACKed
    redirect("s-followed", "sip:bob@example.com", "302 Moved Temporarily", "Contact: <sip:bob@192.0.2.4>\n")
    call("s-followed", "sip:bob@192.0.2.4", cseq=2)
    # not followed: a 302 to INVITE nobody acts on
    redirect("s-ignored", "sip:bob@example.com", "302 Moved Temporarily", "Contact: <sip:bob@192.0.2.5>\n", gap=1.0)
    # siblings: first target busy, second tried: no retry
    redirect("s-sibling", "sip:carl@example.com", "300 Multiple Choices",
             "Contact: <sip:carl@192.0.2.6>;q=0.9, <sip:carl@192.0.2.7>;q=0.5\n", gap=1.0)
    call("s-sibling", "sip:carl@192.0.2.6", cseq=2, status="486 Busy Here")
    call("s-sibling", "sip:carl@192.0.2.7", cseq=3)
    # loop: A -> B -> A
    redirect("s-loop", "sip:loopa@example.com", "302 Moved Temporarily", "Contact: <sip:loopb@example.com>\n", gap=1.0)
    redirect("s-loop", "sip:loopb@example.com", "302 Moved Temporarily", "Contact: <sip:loopa@example.com>\n", cseq=2)
    call("s-loop", "sip:loopa@example.com", cseq=3, status="404 Not Found")
    # cache: a 302 target without lifetime, reused by a later call
    redirect("s-cache1", "sip:dave@example.com", "302 Moved Temporarily", "Contact: <sip:dave@192.0.2.8>\n", gap=1.0)
    call("s-cache1", "sip:dave@192.0.2.8", cseq=2)
    call("s-cache2", "sip:dave@192.0.2.8", gap=5.0)
    # expiry: a 5 s lifetime, reused after 10 s; a 3600 s one, reused after 5 s
    redirect("s-exp1", "sip:erin@example.com", "302 Moved Temporarily", "Contact: <sip:erin@192.0.2.9>;expires=5\n", gap=1.0)
    call("s-exp1", "sip:erin@192.0.2.9", cseq=2)
    redirect("s-fresh1", "sip:ivy@example.com", "302 Moved Temporarily", "Contact: <sip:ivy@192.0.2.11>;expires=3600\n")
    call("s-fresh1", "sip:ivy@192.0.2.11", cseq=2)
    call("s-fresh2", "sip:ivy@192.0.2.11", gap=5.0)
    call("s-exp2", "sip:erin@192.0.2.9", gap=5.0)
    # moved: a 301, then a new call to the old address and one to the new
    redirect("s-moved1", "sip:frank@old.example.com", "301 Moved Permanently", "Contact: <sip:frank@new.example.com>\n", gap=1.0)
    call("s-moved1", "sip:frank@new.example.com", cseq=2)
    call("s-moved2", "sip:frank@new.example.com", gap=2.0)
    call("s-moved3", "sip:frank@old.example.com", gap=2.0, status="404 Not Found")
    # a 302 that is retransmitted and never ACKed
    redirect("s-noack3xx", "sip:gus@example.com", "302 Moved Temporarily", "Contact: <sip:gus@192.0.2.12>\n", ack=False, gap=1.0)
    for gap in (0.5, 1.0):
        f.send(response("302 Moved Temporarily", "INVITE", "s-noack3xx", extra="Contact: <sip:gus@192.0.2.12>\n"),
               from_uac=False, gap=gap)
    # a 200 that is retransmitted and never ACKed
    f.send(request("INVITE", "sip:hal@example.com", "s-noack2xx", extra=CONTACT_A), gap=1.0)
    for gap in (0.010, 0.5, 1.0):
        f.send(response("200 OK", "INVITE", "s-noack2xx", extra="Contact: <sip:hal@192.0.2.13>\n"),
               from_uac=False, gap=gap)
    # a chain of six redirects in one call: u0 -> u1 -> ... -> u6
    for k in range(6):
        redirect("s-chain", "sip:u%d@example.com" % k, "302 Moved Temporarily",
                 "Contact: <sip:u%d@example.com>\n" % (k + 1), cseq=k + 1, gap=1.0 if k == 0 else 0.010)
    call("s-chain", "sip:u6@example.com", cseq=7)
    # ACKed, yet the 200 keeps coming: the ACK never reached the callee.
    # Copies 0.49 s after the ACK (in flight, within T1), then 1.49 and 3.49 s.
    call("s-lateack2xx", "sip:ida@example.com", gap=1.0)
    for gap in (0.490, 1.0, 2.0):
        f.send(response("200 OK", "INVITE", "s-lateack2xx", extra="Contact: <sip:bob@192.0.2.20>\n"),
               from_uac=False, gap=gap)
    # the same for a 302 (followed, so only its ACK is in question)
    redirect("s-lateack3xx", "sip:jay@example.com", "302 Moved Temporarily", "Contact: <sip:jay@192.0.2.14>\n", gap=1.0)
    for gap in (1.0, 2.0):
        f.send(response("302 Moved Temporarily", "INVITE", "s-lateack3xx", extra="Contact: <sip:jay@192.0.2.14>\n"),
               from_uac=False, gap=gap)
    call("s-lateack3xx", "sip:jay@192.0.2.14", cseq=2)
    # one copy of the 200 that crossed the ACK: sent at T1, the ACK 5 ms before
    f.send(request("INVITE", "sip:kim@example.com", "s-crossed", extra=CONTACT_A), gap=1.0)
    f.send(response("200 OK", "INVITE", "s-crossed", extra="Contact: <sip:bob@192.0.2.20>\n"), from_uac=False)
    f.send(request("ACK", "sip:bob@192.0.2.20", "s-crossed", branch="z9hG4bK-s-crossed-1-ack", to_tag="b1"), gap=0.495)
    f.send(response("200 OK", "INVITE", "s-crossed", extra="Contact: <sip:bob@192.0.2.20>\n"), from_uac=False, gap=0.005)
    # followed: the target's method parameter and headers stay off the new
    # INVITE's request line, its Subject becomes a header field (19.1.5)
    redirect("s-uriheaders", "sip:lee@example.com", "302 Moved Temporarily",
             "Contact: <sip:lee@192.0.2.15;method=INVITE?Subject=weekly%20review>\n", gap=1.0)
    f.send(request("INVITE", "sip:lee@192.0.2.15", "s-uriheaders", cseq=2, extra=CONTACT_A + "Subject: weekly review\n"))
    f.send(response("200 OK", "INVITE", "s-uriheaders", cseq=2, extra="Contact: <sip:lee@192.0.2.15>\n"), from_uac=False)
    f.send(request("ACK", "sip:lee@192.0.2.15", "s-uriheaders", cseq=2, branch="z9hG4bK-s-uriheaders-2-ack", to_tag="b1"))
    # followed as a new call (new Call-ID and From tag, as a B2BUA places a
    # new leg) 30 ms after the ACK; a third call to the same target 5 s
    # later uses it again: that one is a cached target without lifetime
    redirect("s-newleg", "sip:mia@example.com", "302 Moved Temporarily", "Contact: <sip:mia@192.0.2.16>\n", gap=1.0)
    call("s-newleg-b", "sip:mia@192.0.2.16", gap=0.030)
    call("s-newleg-c", "sip:mia@192.0.2.16", gap=5.0)
    # a target at an IPv6 address, followed by a request that writes the
    # same address another way (no "::", upper case, a leading zero): one
    # host (RFC 5954 4.2), so the redirect is followed
    redirect("s-v6", "sip:nia@example.com", "302 Moved Temporarily", "Contact: <sip:nia@[2001:db8::17]:5070>\n", gap=1.0)
    call("s-v6", "sip:nia@[2001:DB8:0:0:0:0:0:017]:5070", cseq=2)
    # captured at a mirror port that shows each packet twice, 50 us apart:
    # the 200 and the ACK each twice, byte for byte. Not a retransmission:
    # a server sends a copy again T1 (500 ms) later at the soonest
    f.send(request("INVITE", "sip:oz@example.com", "s-mirror", extra=CONTACT_A), gap=1.0)
    ok = response("200 OK", "INVITE", "s-mirror", extra="Contact: <sip:oz@192.0.2.18>\n")
    f.send(ok, from_uac=False)
    f.send(ok, from_uac=False, gap=0.00005)
    ack = request("ACK", "sip:oz@192.0.2.18", "s-mirror", branch="z9hG4bK-s-mirror-1-ack", to_tag="b1")
    f.send(ack)
    f.send(ack, gap=0.00005)
    # A -> B -> A: the caller stops at the second 302, whose only target
    # its chain already asked. A client puts each URI in its target set once
    # (RFC 3261 8.1.3.4), so not following it is right: no rule
    redirect("s-stopped", "sip:pam@example.com", "302 Moved Temporarily", "Contact: <sip:pam@192.0.2.19>\n", gap=1.0)
    redirect("s-stopped", "sip:pam@192.0.2.19", "302 Moved Temporarily", "Contact: <sip:pam@example.com>\n", cseq=2)
    # a 302 whose ACK comes on a branch of its own, as a scanner sends it:
    # no ACK of the INVITE's transaction (17.1.1.3), so the server sends the
    # 302 again 500 ms later; the caller follows the target meanwhile
    redirect("s-ownbranch", "sip:rex@example.com", "302 Moved Temporarily", "Contact: <sip:rex@192.0.2.21>\n",
             ack=False, gap=1.0)
    f.send(request("ACK", "sip:rex@example.com", "s-ownbranch", branch="z9hG4bK-s-ownbranch-own", to_tag="b1"))
    call("s-ownbranch", "sip:rex@192.0.2.21", cseq=2)
    f.send(response("302 Moved Temporarily", "INVITE", "s-ownbranch", extra="Contact: <sip:rex@192.0.2.21>\n"),
           from_uac=False, gap=0.5)
    write_pcap("calls.pcap", f.frames)


def tel_capture():
    """Redirects to tel URIs (RFC 3966), one Call-ID per scenario. A client
    that cannot send to a tel URI dials its number as the user part of a
    SIP URI marked user=phone, at a host of its own (RFC 3261 19.1.6):
    t-dialled: 302 to tel:+1-201-555-0123 (frames 1-3), INVITE to
      sip:+12015550123@gw.example.net;user=phone (4-6);
    t-ported: a number portability answer, 302 to
      tel:+12015550111;npdi;rn=+12015559999 (7-9), INVITE with the number
      and both parameters at the gateway (10-12);
    t-unmarked: 302 to tel:+12015550124 (13-15), INVITE to
      sip:+12015550124@gw.example.net without user=phone (16-18): not a
      number by 19.1.6, so not the target;
    t-cached: 5 s later, a new call dialling t-dialled's target (19-21):
      a 302 target without a lifetime used again (21.3.3).
    Then number portability answers written as SIP URIs marked user=phone,
    whose number a switch routes through a gateway of its own:
    t-lnp: 302 to sip:+12015550133;npdi;rn=+12015559999@lnp.example.net
      (22-24), INVITE with that number and both parameters at the gateway
      (25-27);
    t-lnp-leg: 302 to the number with npdi alone (not ported, 28-30), then
      a new call at once (t-lnp-leg-b) to it at the gateway (31-33), as a
      B2BUA places a new leg;
    t-lnp-other: 302 to +12015550145 (34-36), INVITE to +12015550146 (37-39);
    t-lnp-unmarked: 302 to +12015550155;npdi (40-42), INVITE to it at the
      gateway without user=phone (43-45);
    t-lnp-again: 40 s later, a new call to t-lnp's number at the gateway
      (46-48): the number called again, no use of a cached target;
    t-lnp-host: 302 keeping the number asked for at another host,
      sip:+12015550166@gw2.example.net (49-51), INVITE to the number at a
      third host, the gateway (52-54): the redirect named where to dial it,
      so it was not followed;
    t-lnp-redial: the same kind of 302 for +12015550177 (55-57), then a new
      call at once (t-lnp-redial-b) to the first host again (58-60): no
      link to the 302, and no retry of its target."""
    f = Flow()

    def redirect(call, ruri, contact, gap):
        f.send(request("INVITE", ruri, call, extra=CONTACT_A), gap=gap)
        f.send(response("302 Moved Temporarily", "INVITE", call, extra="Contact: <%s>\n" % contact), from_uac=False)
        f.ack(call, ruri)

    def call(call, ruri, cseq, gap=0.010):
        f.send(request("INVITE", ruri, call, cseq=cseq, extra=CONTACT_A), gap=gap)
        f.send(response("200 OK", "INVITE", call, cseq=cseq, extra="Contact: <sip:bob@192.0.2.20>\n"), from_uac=False)
        f.send(request("ACK", "sip:bob@192.0.2.20", call, cseq=cseq, branch="z9hG4bK-%s-%d-ack" % (call, cseq),
                       to_tag="b1"))

    redirect("t-dialled", "sip:+12015550100@example.com;user=phone", "tel:+1-201-555-0123", gap=0.010)
    call("t-dialled", "sip:+12015550123@gw.example.net;user=phone", cseq=2)
    redirect("t-ported", "sip:+12015550111@example.com;user=phone", "tel:+12015550111;npdi;rn=+12015559999", gap=1.0)
    call("t-ported", "sip:+12015550111;npdi;rn=+12015559999@gw.example.net;user=phone", cseq=2)
    redirect("t-unmarked", "sip:+12015550102@example.com;user=phone", "tel:+12015550124", gap=1.0)
    call("t-unmarked", "sip:+12015550124@gw.example.net", cseq=2)
    call("t-cached", "sip:+12015550123@gw.example.net;user=phone", cseq=1, gap=5.0)
    lnp, gw = "@lnp.example.net;user=phone", "@gw.example.net;user=phone"
    redirect("t-lnp", "sip:+12015550133" + lnp, "sip:+12015550133;npdi;rn=+12015559999" + lnp, gap=1.0)
    call("t-lnp", "sip:+12015550133;npdi;rn=+12015559999" + gw, cseq=2)
    redirect("t-lnp-leg", "sip:+12015550134" + lnp, "sip:+12015550134;npdi" + lnp, gap=1.0)
    call("t-lnp-leg-b", "sip:+12015550134;npdi" + gw, cseq=1, gap=0.030)
    redirect("t-lnp-other", "sip:+12015550144" + lnp, "sip:+12015550145" + lnp, gap=1.0)
    call("t-lnp-other", "sip:+12015550146" + gw, cseq=2)
    redirect("t-lnp-unmarked", "sip:+12015550155" + lnp, "sip:+12015550155;npdi" + lnp, gap=1.0)
    call("t-lnp-unmarked", "sip:+12015550155;npdi@gw.example.net", cseq=2)
    call("t-lnp-again", "sip:+12015550133;npdi;rn=+12015559999" + gw, cseq=1, gap=40.0)
    gw2 = "@gw2.example.net;user=phone"
    redirect("t-lnp-host", "sip:+12015550166" + lnp, "sip:+12015550166" + gw2, gap=1.0)
    call("t-lnp-host", "sip:+12015550166" + gw, cseq=2)
    redirect("t-lnp-redial", "sip:+12015550177" + lnp, "sip:+12015550177" + gw2, gap=1.0)
    call("t-lnp-redial-b", "sip:+12015550177" + lnp, cseq=1, gap=0.030)
    write_pcap("tel.pcap", f.frames)


def long_uris_capture():
    """A capture made to be slow: each request is compared with the
    remembered targets its digest matches, and here every target has the
    digest of the request that follows them, with 100 parameters.
    c-long: three 302s, each to 16 such targets (frames 1-9; the INVITEs to
      other URIs), then an INVITE to the first target of the third 302
      (10-12): 47 comparisons of 1,450 bytes (the URIs of both sides) to
      walk the call's redirects, past the 64 KiB a message may compare
      (CaptureTracker::kCompareBudget) at the oldest;
    c-short: the same with URIs without the parameters (13-24)."""
    f = Flow()
    params = "".join(";p%d=v" % (100 + p) for p in range(100))

    def chain(call, params):
        for i in range(3):
            contacts = "".join("Contact: <sip:x@h.example.net%s;z=%d-%d>\n" % (params, i, k) for k in range(16))
            f.send(request("INVITE", "sip:r%d@example.com" % i, call, cseq=i + 1, extra=CONTACT_A))
            f.send(response("302 Moved Temporarily", "INVITE", call, cseq=i + 1, extra=contacts), from_uac=False)
            f.ack(call, "sip:r%d@example.com" % i, cseq=i + 1)
        f.send(request("INVITE", "sip:x@h.example.net%s;z=2-0" % params, call, cseq=4, extra=CONTACT_A))
        f.send(response("200 OK", "INVITE", call, cseq=4, extra="Contact: <sip:bob@192.0.2.20>\n"), from_uac=False)
        f.send(request("ACK", "sip:bob@192.0.2.20", call, cseq=4, branch="z9hG4bK-%s-4-ack" % call, to_tag="b1"))

    chain("c-long", params)
    chain("c-short", "")
    write_pcap("long_uris.pcap", f.frames)

def tcp_capture():
    """SIP over TCP: a 302 split across two segments, a 200 and a 302 in one
    segment, then a 302 and its retransmission in one segment."""
    frames = []
    t = 0.0
    a, b = (UAC, 40000), (UAS, 5060)
    seq_a, seq_b = 1000, 5000

    def seg(from_a, flags, payload=b""):
        nonlocal t, seq_a, seq_b
        t += 0.01
        if from_a:
            frames.append((t, tcp(a[0], a[1], b[0], b[1], seq_a, seq_b, flags, payload)))
            seq_a += len(payload) + (1 if flags & 0x02 else 0)
        else:
            frames.append((t, tcp(b[0], b[1], a[0], a[1], seq_b, seq_a, flags, payload)))
            seq_b += len(payload) + (1 if flags & 0x02 else 0)

    def tcp_request(method, call, cseq=1, extra=CONTACT_A):
        return request(method, "sip:bob@example.com", call, cseq, extra=extra).replace(b"SIP/2.0/UDP", b"SIP/2.0/TCP")

    def tcp_response(status, method, call, cseq=1, extra=""):
        return response(status, method, call, cseq, extra=extra).replace(b"SIP/2.0/UDP", b"SIP/2.0/TCP")

    SYN, ACK, PSH = 0x02, 0x10, 0x08
    seg(True, SYN)
    seg(False, SYN | ACK)
    seg(True, ACK)
    seg(True, PSH | ACK, tcp_request("INVITE", "t-split"))
    split = tcp_response("302 Moved Temporarily", "INVITE", "t-split", extra="Contact: <sip:bob@192.0.2.4>;expires=60\n")
    cut = split.index(b"Contact") + 10
    seg(False, PSH | ACK, split[:cut])
    seg(False, PSH | ACK, split[cut:])
    seg(True, PSH | ACK, tcp_request("OPTIONS", "t-two", extra="") + tcp_request("INVITE", "t-two2"))
    both = tcp_response("200 OK", "OPTIONS", "t-two") + tcp_response(
        "302 Moved Temporarily", "INVITE", "t-two2", extra="Contact: <sip:bob@example.com>\n")
    seg(False, PSH | ACK, both)
    # a 302 and its retransmission, byte for byte, in one segment
    seg(True, PSH | ACK, tcp_request("INVITE", "t-copies"))
    copy = tcp_response("302 Moved Temporarily", "INVITE", "t-copies", extra="Contact: <sip:bob@192.0.2.4>\n")
    seg(False, PSH | ACK, copy + copy)
    write_pcap("tcp.pcap", frames)


class TcpConnection:
    """One TCP connection from UAC port `port` (40000) to UAS port 5060, as
    frames with times: each side's sequence number runs on, and a segment
    TCP sends again carries the sequence number of the one it copies.
    Connections given one `frames` list share it, in the order sent."""

    def __init__(self, port=40000, frames=None):
        self.frames = [] if frames is None else frames
        self.port = port
        self.t = 0.0
        self.seq = {True: 1000, False: 5000}

    def seg(self, from_a, flags, payload=b"", gap=0.01, resend_of=None):
        """`resend_of`: the sequence number of the segment TCP sends again;
        returns this segment's"""
        a, b = (UAC, self.port), (UAS, 5060)
        self.t = max(self.t, self.frames[-1][0] if self.frames else 0.0) + gap
        mine = self.seq[from_a] if resend_of is None else resend_of
        src, dst = (a, b) if from_a else (b, a)
        self.frames.append((self.t, tcp(src[0], src[1], dst[0], dst[1], mine, self.seq[not from_a], flags, payload)))
        if resend_of is None:
            self.seq[from_a] += len(payload) + (1 if flags & 0x02 else 0)
        return mine

    def open(self):
        self.seg(True, 0x02)
        self.seg(False, 0x12)
        self.seg(True, 0x10)


def over_tcp(message):
    return message.replace(b"SIP/2.0/UDP", b"SIP/2.0/TCP")


def tcp_resend_capture():
    """SIP over TCP on one connection, where TCP itself sends two segments
    again (same sequence number, after a retransmission timeout): a 200 to
    INVITE before its ACK, and a 302 before its ACK. Between them, a 200
    that SIP sends again (T1 later, a new segment further on in the stream)
    and that is ACKed only after that. Wireshark hands the resent segments
    to SIP only with tcp.analyze_sequence_numbers off."""
    c = TcpConnection()
    seg = c.seg
    contact = "Contact: <sip:bob@192.0.2.20;transport=tcp>\n"
    ACK, PSH = 0x10, 0x08
    c.open()
    # frames 4-7: the 200 (5) resent by TCP 300 ms later (6), then its ACK (7)
    seg(True, PSH | ACK, over_tcp(request("INVITE", "sip:bob@example.com", "t-resend", extra=CONTACT_A)))
    ok = over_tcp(response("200 OK", "INVITE", "t-resend", extra=contact))
    first = seg(False, PSH | ACK, ok)
    seg(False, PSH | ACK, ok, gap=0.3, resend_of=first)
    seg(True, PSH | ACK, over_tcp(request("ACK", "sip:bob@192.0.2.20;transport=tcp", "t-resend", branch="z9hG4bK-t-resend-ack",
                                      to_tag="b1")))
    # frames 8-11: the 200 (9) sent again by SIP 500 ms later (10), then its ACK (11)
    seg(True, PSH | ACK, over_tcp(request("INVITE", "sip:bob@example.com", "t-sip-retx", extra=CONTACT_A)), gap=1)
    ok = over_tcp(response("200 OK", "INVITE", "t-sip-retx", extra=contact))
    seg(False, PSH | ACK, ok)
    seg(False, PSH | ACK, ok, gap=0.5)
    seg(True, PSH | ACK, over_tcp(request("ACK", "sip:bob@192.0.2.20;transport=tcp", "t-sip-retx", branch="z9hG4bK-t-sip-retx-ack",
                                      to_tag="b1")))
    # frames 12-15: the 302 (13) resent by TCP 250 ms later (14), then its ACK (15)
    seg(True, PSH | ACK, over_tcp(request("INVITE", "sip:bob@example.com", "t-302-resend", extra=CONTACT_A)), gap=1)
    moved = over_tcp(response("302 Moved Temporarily", "INVITE", "t-302-resend",
                              extra="Contact: <sip:bob@192.0.2.4>;expires=60\n"))
    first = seg(False, PSH | ACK, moved)
    seg(False, PSH | ACK, moved, gap=0.25, resend_of=first)
    seg(True, PSH | ACK, over_tcp(request("ACK", "sip:bob@example.com", "t-302-resend", to_tag="b1")))
    # frames 16-20: a 180 split over two segments (17, 18), the second
    # holding the 200 too; TCP sends that second segment again (19), which
    # starts with the rest of the 180; then the ACK (20)
    seg(True, PSH | ACK, over_tcp(request("INVITE", "sip:bob@example.com", "t-mid-resend", extra=CONTACT_A)), gap=1)
    ringing = over_tcp(response("180 Ringing", "INVITE", "t-mid-resend"))
    ok = over_tcp(response("200 OK", "INVITE", "t-mid-resend", extra=contact))
    seg(False, PSH | ACK, ringing[:100])
    second = seg(False, PSH | ACK, ringing[100:] + ok)
    seg(False, PSH | ACK, ringing[100:] + ok, gap=0.2, resend_of=second)
    seg(True, PSH | ACK, over_tcp(request("ACK", "sip:bob@192.0.2.20;transport=tcp", "t-mid-resend",
                                          branch="z9hG4bK-t-mid-resend-ack", to_tag="b1")))
    write_pcap("tcp_resend.pcap", c.frames)


def tcp_split_capture():
    """Clean SIP over TCP whose messages TCP cuts at segment ends, as a busy
    connection does: each part in its own segment, Wireshark putting each
    message together in the segment that ends it.
    frames 4-10, one call: the INVITE (4); a 180 and the first 120 bytes
    of the 200 (5); the rest of the 200 (6); the ACK up to its
    Content-Length, so with every key a tracker pairs it by (7); the rest
    of the ACK and the BYE up to its Content-Length (8); the rest of the
    BYE and the start of an OPTIONS, before its Call-ID (9); the BYE's
    200 (10).
    frame 11: a 302 whose INVITE is not in the capture.
    frames 12-14: the rest of frame 9's OPTIONS, another OPTIONS and the
    start of an INVITE, whose rest never comes (12); the 200 to the second
    OPTIONS (13), and a 302 to that INVITE (14).
    frames 15-16: a 100 and the first 60 bytes of a 180 (15), the 180's
    rest (16): provisional responses, which sipresp never annotates.
    frames 17-18: a 200 with SDP, of an INVITE not in the capture, cut 20
    bytes before the end of its body."""
    c = TcpConnection()
    ACK, PSH = 0x10, 0x08
    contact = "Contact: <sip:bob@192.0.2.20;transport=tcp>\n"
    at_bob = "sip:bob@192.0.2.20;transport=tcp"
    c.open()
    c.seg(True, PSH | ACK, over_tcp(request("INVITE", "sip:bob@example.com", "tcp-split", extra=CONTACT_A)))
    ok = over_tcp(response("200 OK", "INVITE", "tcp-split", extra=contact))
    c.seg(False, PSH | ACK, over_tcp(response("180 Ringing", "INVITE", "tcp-split")) + ok[:120])
    c.seg(False, PSH | ACK, ok[120:])
    ack = over_tcp(request("ACK", at_bob, "tcp-split", branch="z9hG4bK-tcp-split-ack", to_tag="b1"))
    bye = over_tcp(request("BYE", at_bob, "tcp-split", cseq=2, branch="z9hG4bK-tcp-split-bye", to_tag="b1"))
    ack_cut, bye_cut = ack.index(b"Content-Length"), bye.index(b"Content-Length")
    c.seg(True, PSH | ACK, ack[:ack_cut])
    c.seg(True, PSH | ACK, ack[ack_cut:] + bye[:bye_cut])
    probe = over_tcp(request("OPTIONS", at_bob, "tcp-split-probe"))
    probe_cut = probe.index(b"Call-ID")
    c.seg(True, PSH | ACK, bye[bye_cut:] + probe[:probe_cut])
    c.seg(False, PSH | ACK, over_tcp(response("200 OK", "BYE", "tcp-split", cseq=2, branch="z9hG4bK-tcp-split-bye")))
    c.seg(False, PSH | ACK, over_tcp(response("302 Moved Temporarily", "INVITE", "tcp-split-elsewhere",
                                              extra="Contact: <sip:carol@192.0.2.30>;expires=60\n")), gap=1)
    invite = over_tcp(request("INVITE", "sip:bob@example.com", "tcp-split-cut", extra=CONTACT_A))
    c.seg(True, PSH | ACK, probe[probe_cut:] + over_tcp(request("OPTIONS", "sip:bob@example.com", "tcp-split-options")) +
          invite[:invite.index(b"Call-ID")], gap=1)
    c.seg(False, PSH | ACK, over_tcp(response("200 OK", "OPTIONS", "tcp-split-options")))
    c.seg(False, PSH | ACK, over_tcp(response("302 Moved Temporarily", "INVITE", "tcp-split-cut",
                                              extra="Contact: <sip:carol@192.0.2.30>;expires=60\n")))
    ringing = over_tcp(response("180 Ringing", "INVITE", "tcp-split-ringing"))
    c.seg(False, PSH | ACK, over_tcp(response("100 Trying", "INVITE", "tcp-split-ringing")) +
          ringing[:60], gap=1)
    c.seg(False, PSH | ACK, ringing[60:])
    answer = over_tcp(response("200 OK", "INVITE", "tcp-split-body", extra=contact,
                               body="v=0\no=bob 1 1 IN IP4 192.0.2.20\ns=-\nc=IN IP4 192.0.2.20\nt=0 0\n"
                                    "m=audio 4000 RTP/AVP 0\n"))
    c.seg(False, PSH | ACK, answer[:-20], gap=1)
    c.seg(False, PSH | ACK, answer[-20:])
    write_pcap("tcp_split.pcap", c.frames)


def tcp_sipfrag_capture():
    """SIP over TCP where a body holds a line that reads as a start line: the
    NOTIFYs of a transfer, whose message/sipfrag body (RFC 3420) is
    "SIP/2.0 200 OK" (RFC 3515 2.4.5). The client (port 40000) sends the
    REFER's INVITE, the server the NOTIFYs.
    frames 4-6: NOTIFY t-frag-a cut 40 bytes in (4), its rest and body (5),
    the client's 200 (6); frames 7-9: NOTIFY t-frag-b cut before its body,
    which comes alone (8), the 200 (9); frame 10: INVITE t-frag-inv; frames
    11-12: NOTIFY t-frag-c cut before its body (11), then its body and the
    302 to frame 10's INVITE in one segment (12).
    Then a connection the capture began in the middle of (port 40001, no
    handshake): frame 13 holds the last 60 bytes of a NOTIFY (its
    Content-Length line among them) and its sipfrag, then a 302 to an
    INVITE sent before the capture began (t-frag-mid-a); frame 14 the last
    lines of another NOTIFY without its Content-Length line, its sipfrag
    and a 302 (t-frag-mid-b)."""
    ACK, PSH = 0x10, 0x08
    frag = "SIP/2.0 200 OK\r\n"
    moved = "Contact: <sip:carol@192.0.2.30>;expires=60\n"

    def notify(call):
        return over_tcp(request("NOTIFY", "sip:alice@192.0.2.10;transport=tcp", call, to_tag="b1",
                                extra="Event: refer\nSubscription-State: terminated;reason=noresource\n"
                                      "Content-Type: message/sipfrag;version=2.0\n" + CONTACT_A, body=frag))

    c = TcpConnection()
    c.open()
    for call, cut in (("t-frag-a", 40), ("t-frag-b", -len(frag))):
        n = notify(call)
        c.seg(False, PSH | ACK, n[:cut])
        c.seg(False, PSH | ACK, n[cut:])
        c.seg(True, PSH | ACK, over_tcp(response("200 OK", "NOTIFY", call)))
    c.seg(True, PSH | ACK, over_tcp(request("INVITE", "sip:bob@example.com", "t-frag-inv", extra=CONTACT_A)))
    n = notify("t-frag-c")
    c.seg(False, PSH | ACK, n[:-len(frag)])
    c.seg(False, PSH | ACK, n[-len(frag):] + over_tcp(response("302 Moved Temporarily", "INVITE", "t-frag-inv",
                                                                  extra=moved)))
    mid = TcpConnection(port=40001, frames=c.frames)
    n = notify("t-frag-mid-n1")
    mid.seg(False, PSH | ACK, n[-60:] + over_tcp(response("302 Moved Temporarily", "INVITE", "t-frag-mid-a",
                                                           extra=moved)))
    n = notify("t-frag-mid-n2")
    tail = n[n.index(b"Content-Type"):]
    tail = tail[:tail.index(b"Contact")] + tail[tail.index(b"\r\n\r\n") + 2:]  # (no Contact, no Content-Length)
    mid.seg(False, PSH | ACK, tail + over_tcp(response("302 Moved Temporarily", "INVITE", "t-frag-mid-b",
                                                        extra=moved)))
    write_pcap("tcp_sipfrag.pcap", c.frames)


def tcp_keepalive_capture():
    """SIP over TCP with keep-alive line ends (RFC 5626 3.5.1) sent in the
    segment of the message after them, as a stack writing a keep-alive and
    then a message that TCP puts in one segment. After the handshake (1-3):
    INVITE t-ka (4); CRLF and the 302 (5); CRLFCRLF and the ACK (6); a
    keep-alive alone, CRLFCRLF (7), and its answer, CRLF (8); the INVITE to
    the 302's target, in the same call (9); its 200 (10); the ACK (11).
    Wireshark's SIP shows nothing of frames 5 and 6, with a tree and
    without one."""
    ACK, PSH = 0x10, 0x08
    target = "sip:bob@192.0.2.4;transport=tcp"
    c = TcpConnection()
    c.open()
    c.seg(True, PSH | ACK, over_tcp(request("INVITE", "sip:bob@example.com", "t-ka", extra=CONTACT_A)))
    c.seg(False, PSH | ACK, b"\r\n" + over_tcp(response("302 Moved Temporarily", "INVITE", "t-ka",
                                                          extra="Contact: <%s>;expires=60\n" % target)))
    c.seg(True, PSH | ACK, b"\r\n\r\n" + over_tcp(request("ACK", "sip:bob@example.com", "t-ka", to_tag="b1")))
    c.seg(True, PSH | ACK, b"\r\n\r\n", gap=1)
    c.seg(False, PSH | ACK, b"\r\n")
    c.seg(True, PSH | ACK, over_tcp(request("INVITE", target, "t-ka", cseq=2, extra=CONTACT_A)))
    c.seg(False, PSH | ACK, over_tcp(response("200 OK", "INVITE", "t-ka", cseq=2, to_tag="b2",
                                              extra="Contact: <%s>\n" % target)))
    c.seg(True, PSH | ACK, over_tcp(request("ACK", target, "t-ka", cseq=2, branch="z9hG4bK-t-ka-ack2", to_tag="b2")))
    write_pcap("tcp_keepalive.pcap", c.frames)


def tcp_trunk_splits_capture():
    """A trunk of 40 TCP connections (client ports 40000-40039), each
    carrying an OPTIONS and an INVITE cut before its Call-ID by the
    segment's end: the 40 segments come first (frames 121-160, after the 40
    handshakes), then the INVITEs' rests (161-200), where Wireshark puts
    each INVITE together. Frame 201:
    the 200 to the first INVITE (port 40000); frame 202: a 302 on the same
    connection whose INVITE is not in the capture. Every start's rest came
    before frame 202, so no SIP message went unread."""
    frames = []
    trunk = [TcpConnection(port=40000 + i, frames=frames) for i in range(40)]
    ACK, PSH = 0x10, 0x08
    for c in trunk:
        c.open()
    invites = [over_tcp(request("INVITE", "sip:bob@example.com", "trunk-%d" % i, extra=CONTACT_A))
               for i in range(len(trunk))]
    for i, (c, invite) in enumerate(zip(trunk, invites)):
        probe = over_tcp(request("OPTIONS", "sip:bob@example.com", "trunk-probe-%d" % i))
        c.seg(True, PSH | ACK, probe + invite[:invite.index(b"Call-ID")])
    for c, invite in zip(trunk, invites):
        c.seg(True, PSH | ACK, invite[invite.index(b"Call-ID"):])
    trunk[0].seg(False, PSH | ACK, over_tcp(response("200 OK", "INVITE", "trunk-0",
                                                     extra="Contact: <sip:bob@192.0.2.20;transport=tcp>\n")))
    trunk[0].seg(False, PSH | ACK, over_tcp(response("302 Moved Temporarily", "INVITE", "trunk-missing",
                                                     extra="Contact: <sip:carol@192.0.2.30>;expires=60\n")))
    write_pcap("tcp_trunk_splits.pcap", frames)


def capture_runs_on_capture():
    """SIP over TCP, then 40 s of other traffic, as a capture of a call's
    SIP and RTP runs on after its last SIP message. c-runs-on-302: an
    INVITE (4) and its 302 (5), never ACKed nor followed; c-runs-on-200:
    an INVITE (6) and its 200 (7), never ACKed. Then a UDP packet between
    the two phones' media ports every 5 s (frames 8-15), the last 40 s after
    the 200."""
    c = TcpConnection()
    ACK, PSH = 0x10, 0x08
    c.open()
    c.seg(True, PSH | ACK, over_tcp(request("INVITE", "sip:bob@example.com", "c-runs-on-302", extra=CONTACT_A)))
    c.seg(False, PSH | ACK, over_tcp(response("302 Moved Temporarily", "INVITE", "c-runs-on-302",
                                              extra="Contact: <sip:carol@192.0.2.30>;expires=60\n")))
    c.seg(True, PSH | ACK, over_tcp(request("INVITE", "sip:bob@example.com", "c-runs-on-200", extra=CONTACT_A)))
    c.seg(False, PSH | ACK, over_tcp(response("200 OK", "INVITE", "c-runs-on-200",
                                              extra="Contact: <sip:bob@192.0.2.20;transport=tcp>\n")))
    for k in range(1, 9):
        c.frames.append((c.t + 5 * k, udp(UAC, 4000, UAS, 4002, bytes([0x80, 0]) + bytes(170))))
    write_pcap("capture_runs_on.pcap", c.frames)


def tcp_fork_ack_capture():
    """A forked INVITE over TCP, seen at the caller, on its one connection
    to a record-routing proxy: two 200s with one Via branch and two To
    tags. tcp-fork-resend: the caller ACKs the first, and TCP sends that
    ACK's segment again 300 ms later, after the second 200 came (same
    sequence number). tcp-fork-repeated: the caller ACKs the first and
    sends the same ACK again after the second 200, as a new segment: it took
    the second 200 for a copy of the first. Neither 200 of the second fork
    gets an ACK of its own."""
    c = TcpConnection()
    ACK, PSH = 0x10, 0x08
    rr = "Record-Route: <sip:192.0.2.20;lr;transport=tcp>\n"
    phones = {"b1": "sip:bob@192.0.2.41;transport=tcp", "b2": "sip:bob@192.0.2.42;transport=tcp"}
    c.open()
    for call in ("tcp-fork-resend", "tcp-fork-repeated"):
        # frames 4-8 and 9-13: INVITE, 200 (b1), ACK (b1), 200 (b2), the ACK again
        c.seg(True, PSH | ACK, over_tcp(request("INVITE", "sip:bob@example.com", call, extra=CONTACT_A)), gap=1)
        for tag in ("b1", "b2"):
            c.seg(False, PSH | ACK, over_tcp(response("200 OK", "INVITE", call, to_tag=tag,
                                                      extra=rr + "Contact: <%s>\n" % phones[tag])))
            if tag == "b1":
                ack = over_tcp(request("ACK", phones["b1"], call, branch="z9hG4bK-%s-ack-b1" % call, to_tag="b1",
                                       extra="Route: <sip:192.0.2.20;lr;transport=tcp>\n"))
                acked = c.seg(True, PSH | ACK, ack)
        c.seg(True, PSH | ACK, ack, gap=0.3, resend_of=acked if call == "tcp-fork-resend" else None)
    write_pcap("tcp_fork_ack.pcap", c.frames)


def malformed_capture():
    """SIP the core cannot read."""
    f = Flow()
    f.send(sip("SIP/2.0 302 Moved Temporarily\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK-m1\n"
               "Call-ID: m1\nCSeq: 1 INVITE\nContact: <sip:bob@192.0.2.4\n"), from_uac=False)
    f.send(b"SIP/2.0 302 Moved Temporarily\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK-m2\r\n"
           b"Call-ID: m2\r\nCSeq: 1 INVITE\r\nContent-Length: 50\r\n\r\nshort", from_uac=False)
    # a request with a header line that has no colon: unreadable when calls
    # are tracked (the tracker reads requests whole), not read past its
    # request line when they are not
    f.send(sip("OPTIONS sip:bob@example.com SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK-m3\n"
               "Call-ID: m3\nCSeq: 1 OPTIONS\nSubject without a colon\n"))
    # a 200 without the CSeq every response carries (8.1.1.5): what it
    # answers is unknown
    f.send(sip("SIP/2.0 200 OK\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK-m4\n"
               "Call-ID: m4\nContact: <sip:bob@192.0.2.4>\n"), from_uac=False)
    # a 302 whose only target's IPv6 reference holds no IPv6 address (three
    # colons before the embedded IPv4 address, RFC 5118 4.10): no client
    # can reach it
    f.send(response("302 Moved Temporarily", "INVITE", "m5", extra="Contact: <sip:bob@[2001:db8:::192.0.2.4]>\n"),
           from_uac=False)
    # a 200 to INVITE from a phone on a link-local address, whose Contact
    # names its interface (RFC 6874's zone ID, which RFC 3261 25.1 has no
    # room for): unreadable, so not "not a SIP or SIPS URI" either
    f.send(response("200 OK", "INVITE", "m6", extra="Contact: <sip:carol@[fe80::2%25eth0]:5060>\n"),
           from_uac=False)
    write_pcap("malformed.pcap", f.frames)


def odd_text_capture():
    """Text that is not plain UTF-8, as older phones write it (Latin-1) or
    as junk or an attack arrives. `t1`: an INVITE, its 302 with a reason
    phrase and a display name in Latin-1, a target whose user part has a
    Latin-1 byte and a 0xFF, and a second target whose display name is
    proper UTF-8; the ACK. `t2`: a 302 whose target holds a terminal's
    escape sequence (ESC [31m) and a BEL. `t3`: one whose target holds
    characters that show nothing (U+009B, U+200B, U+202E)."""
    f = Flow()
    f.send(request("INVITE", "sip:bob@example.com", "t1", extra=CONTACT_A))
    # <e9>, <fc>, <ff>, <1b>, <07>: single bytes put in after sip() wrote
    # the text as UTF-8 (so the lengths it counts are off by nothing: no body)
    redirect = response(
        "302 D<e9>plac<e9> temporairement", "INVITE", "t1",
        extra='Contact: "Andr<e9> M<fc>ller" <sip:andr<e9><ff>@192.0.2.4>;expires=60, '
              '"J\u00fcrgen" <sip:juergen@192.0.2.5>;expires=60\n')
    f.send(bytes_in(redirect), from_uac=False)
    f.ack("t1")
    f.send(request("INVITE", "sip:bob@example.com", "t2", extra=CONTACT_A))
    f.send(bytes_in(response("302 Moved Temporarily", "INVITE", "t2",
                             extra="Contact: <sip:evil<1b>[31m<07>@192.0.2.6>;expires=60\n")), from_uac=False)
    f.ack("t2")
    # t3: a C1 control (U+009B), a zero-width space (U+200B) and a
    # right-to-left override (U+202E), all valid UTF-8, none visible
    f.send(request("INVITE", "sip:bob@example.com", "t3", extra=CONTACT_A))
    f.send(bytes_in(response("302 Moved Temporarily", "INVITE", "t3",
                             extra="Contact: <sip:a<c2><9b>31mb<e2><80><8b>c<e2><80><ae>d@192.0.2.7>;expires=60\n")),
           from_uac=False)
    f.ack("t3")
    write_pcap("odd_text.pcap", f.frames)


def bytes_in(message):
    """`message` with each <hh> written as the single byte 0xhh"""
    return re.sub(rb"<([0-9a-f]{2})>", lambda m: bytes([int(m.group(1), 16)]), message)


def write_pcapng_in_seconds(name, frames):
    """frames: list of (timestamp, frame bytes), the timestamp a raw 64-bit
    pcapng count of whole seconds (one interface with if_tsresol 10^0),
    which can lie anywhere in 2^64 seconds"""
    def block(kind, body):
        body += b"\0" * ((4 - len(body) % 4) % 4)
        return struct.pack("<II", kind, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))
    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    tsresol = struct.pack("<HHB3x", 9, 1, 0) + struct.pack("<HH", 0, 0)
    out += block(1, struct.pack("<HHI", 1, 0, 65535) + tsresol)
    for ts, data in frames:
        out += block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(data), len(data)) + data)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(out)


def odd_times_capture():
    """Capture times a hostile or broken file can hold (pcapng counts whole
    seconds here): a 302 near the largest time there is, with the longest
    lifetime, its ACK before 1970, the target tried in 1970."""
    call = "o1"
    invite = request("INVITE", "sip:bob@example.com", call, extra="Contact: <sip:alice@192.0.2.10>\n")
    moved = response("302 Moved Temporarily", "INVITE", call,
                     extra="Contact: <sip:bob@192.0.2.4>;expires=4294967295\n")
    ack = request("ACK", "sip:bob@example.com", call, to_tag="b1")
    again = request("INVITE", "sip:bob@192.0.2.4", "o2", extra="Contact: <sip:alice@192.0.2.10>\n")
    latest = 0x7FFFFFFFFFFFFF00  # 2^63 - 256 s: adding the lifetime would overflow a time_t
    write_pcapng_in_seconds("odd_times.pcapng", [
        (latest, udp(UAC, 5060, UAS, 5060, invite)),
        (latest, udp(UAS, 5060, UAC, 5060, moved)),
        (0xFFFFFFFFFFFFFF00, udp(UAC, 5060, UAS, 5060, ack)),  # read as -256 s
        (16, udp(UAC, 5060, "192.0.2.4", 5060, again)),
    ])


def snaplen_capture():
    """Frames a capture cut short, as a snapshot length does: the sender's
    messages were whole."""
    f = Flow()
    sdp = ("v=0\r\no=bob 1 1 IN IP4 192.0.2.4\r\ns=-\r\nc=IN IP4 192.0.2.4\r\nt=0 0\r\n"
           "m=audio 4000 RTP/AVP 0\r\n")

    def cut(kept):
        """the last frame as the capture kept it: kept(frame bytes) of them"""
        t, data = f.frames[-1]
        f.frames[-1] = (t, data, kept(data))

    def body_kept(n):
        """the header section and the first n bytes of the body"""
        return lambda data: data.index(b"\r\n\r\n") + 4 + n

    def up_to(header):
        """the bytes before a header line"""
        return lambda data: data.index(header)

    # s1: a 200 whose SDP is cut after 10 bytes; its header section is whole
    f.send(request("INVITE", "sip:bob@example.com", "s1", extra=CONTACT_A + "Content-Type: application/sdp\n",
                   body=sdp))
    f.send(response("200 OK", "INVITE", "s1", extra="Contact: <sip:bob@192.0.2.4>\n"
                     "Content-Type: application/sdp\n", body=sdp), from_uac=False)
    cut(body_kept(10))
    f.ack("s1", "sip:bob@192.0.2.4")
    # s2: a 302 cut inside its header section, before its Contact
    f.send(request("INVITE", "sip:bob@example.com", "s2"))
    f.send(response("302 Moved Temporarily", "INVITE", "s2", extra="Contact: <sip:bob@192.0.2.5>;expires=60\n"),
           from_uac=False)
    cut(up_to(b"Contact:"))
    f.ack("s2")
    # s3: a 380 whose body is cut off whole, right after the header section
    f.send(request("INVITE", "sip:bob@example.com", "s3"))
    f.send(response("380 Alternative Service", "INVITE", "s3", extra="Content-Type: text/plain\n",
                    body="try voicemail"), from_uac=False)
    cut(body_kept(0))
    f.ack("s3")
    # s4: an INVITE cut before its CSeq, and its 200 whole: the request is
    # in the capture, but not one sipresp could read
    f.send(request("INVITE", "sip:bob@example.com", "s4", extra=CONTACT_A))
    cut(up_to(b"CSeq:"))
    f.send(response("200 OK", "INVITE", "s4", extra="Contact: <sip:bob@192.0.2.4>\n"), from_uac=False)
    f.ack("s4", "sip:bob@192.0.2.4")
    write_pcap("snaplen.pcap", f.frames)


def decode_as_capture():
    """SIP over UDP port 5999, which Wireshark only reads as SIP when told
    (-d udp.port==5999,sip): INVITE and a 302."""
    f = Flow()
    call = "d-port"
    f.frames.append((0.01, udp(UAC, 5999, UAS, 5999, request("INVITE", "sip:bob@example.com", call, extra=CONTACT_A))))
    f.frames.append((0.02, udp(UAS, 5999, UAC, 5999, response("302 Moved Temporarily", "INVITE", call,
                                                              extra="Contact: <sip:bob@192.0.2.4>;expires=30\n"))))
    write_pcap("decode-as.pcap", f.frames)


def ws_frame(payload, mask=None):
    """One final text frame (RFC 6455 5.2); clients mask, servers do not."""
    head = bytes([0x81])
    n = len(payload)
    mask_bit = 0x80 if mask else 0
    if n < 126:
        head += bytes([mask_bit | n])
    else:
        head += bytes([mask_bit | 126]) + struct.pack("!H", n)
    if mask:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        head += mask
    return head + payload


def websocket_capture():
    """SIP over WebSocket (RFC 7118): HTTP upgrade with the sip subprotocol,
    then an INVITE (masked, from the client) and a 302 (from the server);
    then another INVITE and a broken 302."""
    frames = []
    t = 0.0
    a, b = (UAC, 40001), (UAS, 80)
    seq = {True: 2000, False: 7000}

    def seg(from_a, flags, payload=b""):
        nonlocal t
        t += 0.01
        src, dst = (a, b) if from_a else (b, a)
        frames.append((t, tcp(src[0], src[1], dst[0], dst[1], seq[from_a], seq[not from_a], flags, payload)))
        seq[from_a] += len(payload) + (1 if flags & 0x02 else 0)

    SYN, ACK, PSH = 0x02, 0x10, 0x08
    seg(True, SYN)
    seg(False, SYN | ACK)
    seg(True, ACK)
    seg(True, PSH | ACK, b"GET / HTTP/1.1\r\nHost: 192.0.2.20\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: sip\r\n"
                         b"Sec-WebSocket-Version: 13\r\n\r\n")
    seg(False, PSH | ACK, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: sip\r\n\r\n")
    call = "w-ws"
    invite = request("INVITE", "sip:bob@example.com", call, extra=CONTACT_A).replace(b"SIP/2.0/UDP", b"SIP/2.0/WS")
    seg(True, PSH | ACK, ws_frame(invite, mask=b"\x11\x22\x33\x44"))
    moved = response("302 Moved Temporarily", "INVITE", call, extra="Contact: <sip:bob@192.0.2.4>;expires=45\n")
    seg(False, PSH | ACK, ws_frame(moved.replace(b"SIP/2.0/UDP", b"SIP/2.0/WS")))
    # frames 8-9: w-ws-broken, a 302 whose Content-Length (40) promises a
    # body its WebSocket message does not hold: each SIP message fills one
    # WebSocket message (RFC 7118 5), so this one is broken, not cut
    call = "w-ws-broken"
    invite = request("INVITE", "sip:bob@example.com", call, extra=CONTACT_A).replace(b"SIP/2.0/UDP", b"SIP/2.0/WS")
    seg(True, PSH | ACK, ws_frame(invite, mask=b"\x55\x66\x77\x88"))
    moved = response("302 Moved Temporarily", "INVITE", call, extra="Contact: <sip:bob@192.0.2.4>;expires=45\n")
    assert moved.count(b"Content-Length: 0\r\n") == 1
    moved = moved.replace(b"Content-Length: 0\r\n", b"Content-Length: 40\r\n")
    seg(False, PSH | ACK, ws_frame(moved.replace(b"SIP/2.0/UDP", b"SIP/2.0/WS")))
    write_pcap("websocket.pcap", frames)


def sctp_capture():
    """SIP over SCTP (RFC 4168) on port 5060: an INVITE and an OPTIONS bundled
    in one packet, their 302 and 200 bundled in the answer, then the ACK;
    then an INVITE whose 302 comes in two fragments (two packets)."""
    def over_sctp(message):
        return message.replace(b"SIP/2.0/UDP", b"SIP/2.0/SCTP")

    call, probe = "c-sctp", "c-sctp-options"
    invite = over_sctp(request("INVITE", "sip:carol@example.com", call, extra=CONTACT_A))
    options = over_sctp(request("OPTIONS", "sip:carol@example.com", probe))
    moved = over_sctp(response("302 Moved Temporarily", "INVITE", call,
                               extra="Contact: <sip:carol@192.0.2.30>;expires=120\n"))
    ok = over_sctp(response("200 OK", "OPTIONS", probe))
    ack = over_sctp(request("ACK", "sip:carol@example.com", call, to_tag="b1"))
    call = "c-sctp-fragments"
    invite2 = over_sctp(request("INVITE", "sip:dave@example.com", call, extra=CONTACT_A))
    moved2 = over_sctp(response("302 Moved Temporarily", "INVITE", call,
                                extra="Contact: <sip:dave@192.0.2.31>;expires=60\n"))
    half = len(moved2) // 2
    write_pcap("sctp.pcap", [(0.01, sctp(UAC, UAS, 5060, [(1, invite), (2, options)])),
                             (0.02, sctp(UAS, UAC, 5060, [(100, moved), (101, ok)])),
                             (0.03, sctp(UAC, UAS, 5060, [(3, ack)])),
                             (0.04, sctp(UAC, UAS, 5060, [(4, invite2)])),
                             (0.05, sctp(UAS, UAC, 5060, [(102, moved2[:half])], flags=0x02, ssn=102)),
                             (0.06, sctp(UAS, UAC, 5060, [(103, moved2[half:])], flags=0x01, ssn=102))])


def ip_fragments(src, dst, data, ident, mtu=1500):
    """A UDP datagram (port 5060 both ways) too big for one Ethernet frame,
    cut into IPv4 fragments as a sender's IP layer does (RFC 791): each
    fragment's payload but the last a multiple of 8 bytes, its offset in
    8-byte units, More Fragments on all but the last. Only the first holds
    the UDP header."""
    datagram = struct.pack("!HHHH", 5060, 5060, 8 + len(data), 0) + data
    room = (mtu - 20) // 8 * 8
    pieces = [datagram[i:i + room] for i in range(0, len(datagram), room)]
    frames = []
    for n, piece in enumerate(pieces):
        more = 0x2000 if n < len(pieces) - 1 else 0
        frames.append(ether(ipv4(src, dst, 17, piece, ident=ident, fragment=more | (n * room // 8))))
    return frames


def ip6(a):
    import ipaddress
    return ipaddress.IPv6Address(a).packed


def udp6_datagram(src, dst, data):
    """a UDP datagram (port 5060 both ways) over IPv6, its checksum computed
    as RFC 8200 8.1 asks (it is not optional over IPv6)"""
    length = 8 + len(data)
    seg = struct.pack("!HHHH", 5060, 5060, length, 0) + data
    pseudo = ip6(src) + ip6(dst) + struct.pack("!IxxxB", length, 17)
    return seg[:6] + struct.pack("!H", checksum(pseudo + seg) or 0xFFFF) + seg[8:]


def ether6(payload):
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x86\xdd" + payload


def ipv6(src, dst, next_header, payload):
    return struct.pack("!IHBB", 0x60000000, len(payload), next_header, 64) + ip6(src) + ip6(dst) + payload


def udp6(src, dst, data):
    return ether6(ipv6(src, dst, 17, udp6_datagram(src, dst, data)))


def ipv6_fragments(src, dst, data, ident, mtu=1500):
    """a UDP datagram over IPv6 cut into fragments (RFC 8200 4.5): each after
    a Fragment header (next header UDP, offset in 8-byte units, M on all but
    the last)"""
    datagram = udp6_datagram(src, dst, data)
    room = (mtu - 40 - 8) // 8 * 8
    pieces = [datagram[i:i + room] for i in range(0, len(datagram), room)]
    frames = []
    for n, piece in enumerate(pieces):
        more = 1 if n < len(pieces) - 1 else 0
        fragment = struct.pack("!BBHI", 17, 0, (n * room // 8) << 3 | more, ident)
        frames.append(ether6(ipv6(src, dst, 44, fragment + piece)))
    return frames


def fragments_capture():
    """UDP SIP messages bigger than an Ethernet frame, so IP fragments them
    (RFC 3261 18.1.1 asks for TCP above 1300 bytes, but many UAs keep UDP):
    f-call: INVITE, a 300 with 30 Contacts in 2 fragments, ACK, the INVITE
      to its first target, a 200 whose SDP takes 3 fragments that arrive
      out of order (second, third, first), ACK;
    f-lost: INVITE, a 302 in 2 fragments of which only the first arrives,
      then the 302 sent again (Timer G) whole in 2 fragments, ACK;
    f-v6, over IPv6: INVITE, a 200 with a long SDP in 2 fragments, ACK;
    f-filtered: INVITE, the first fragment of its 200 and no other (as a
      capture filter on `udp port 5060` keeps it: later fragments carry no
      UDP header), ACK."""
    frames = []
    t = [0.0]

    def at(frame, gap=0.010):
        t[0] += gap
        frames.append((t[0], frame))

    call = "f-call"
    at(udp(UAC, 5060, UAS, 5060, request("INVITE", "sip:bob@example.com", call, extra=CONTACT_A)))
    contacts = "".join("Contact: <sip:bob@192.0.2.%d>;q=0.%02d;expires=300\n" % (100 + n, 99 - n) for n in range(30))
    choices = response("300 Multiple Choices", "INVITE", call, extra=contacts)
    assert len(choices) > 1480
    for frame in ip_fragments(UAS, UAC, choices, ident=0x0F01):
        at(frame, gap=0.0001)
    at(udp(UAC, 5060, UAS, 5060, request("ACK", "sip:bob@example.com", call, to_tag="b1")))
    at(udp(UAC, 5060, UAS, 5060, request("INVITE", "sip:bob@192.0.2.100", call, cseq=2, extra=CONTACT_A)))
    sdp = "v=0\r\no=bob 1 1 IN IP4 192.0.2.100\r\ns=-\r\nc=IN IP4 192.0.2.100\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
    sdp += "".join("a=candidate:%d 1 UDP %d 198.51.100.%d %d typ host\r\n" % (n, 2130706431 - n, n, 50000 + n)
                   for n in range(60))
    answer = response("200 OK", "INVITE", call, cseq=2, extra="Contact: <sip:bob@192.0.2.100>\n"
                      "Content-Type: application/sdp\n", body=sdp)
    first, second, third = ip_fragments(UAS, UAC, answer, ident=0x0F02)
    for frame in (second, third, first):
        at(frame, gap=0.0001)
    at(udp(UAC, 5060, UAS, 5060, request("ACK", "sip:bob@192.0.2.100", call, cseq=2, to_tag="b1")))
    call = "f-lost"
    at(udp(UAC, 5060, UAS, 5060, request("INVITE", "sip:carol@example.com", call, extra=CONTACT_A)))
    padding = "".join("X-Padding-%d: %s\n" % (n, "p" * 60) for n in range(24))
    moved = response("302 Moved Temporarily", "INVITE", call, extra="Contact: <sip:carol@192.0.2.30>\n" + padding)
    lost_first, _ = ip_fragments(UAS, UAC, moved, ident=0x0F03)
    at(lost_first)
    for frame in ip_fragments(UAS, UAC, moved, ident=0x0F04):
        at(frame, gap=0.5)
    at(udp(UAC, 5060, UAS, 5060, request("ACK", "sip:carol@example.com", call, to_tag="b1")))
    call, caller, callee = "f-v6", "2001:db8::10", "2001:db8::20"
    at(udp6(caller, callee, request("INVITE", "sip:dan@example.com", call, extra=CONTACT_A)), gap=1.0)
    answer = response("200 OK", "INVITE", call, extra="Contact: <sip:dan@[2001:db8::20]>\n"
                      "Content-Type: application/sdp\n", body=sdp)
    for frame in ipv6_fragments(callee, caller, answer, ident=0x0F05):
        at(frame, gap=0.0001)
    at(udp6(caller, callee, request("ACK", "sip:dan@[2001:db8::20]", call, to_tag="b1")))
    call = "f-filtered"
    at(udp(UAC, 5060, UAS, 5060, request("INVITE", "sip:erin@example.com", call, extra=CONTACT_A)), gap=1.0)
    answer = response("200 OK", "INVITE", call, extra="Contact: <sip:erin@192.0.2.40>\n"
                      "Content-Type: application/sdp\n", body=sdp)
    at(ip_fragments(UAS, UAC, answer, ident=0x0F06)[0])
    at(udp(UAC, 5060, UAS, 5060, request("ACK", "sip:erin@192.0.2.40", call, to_tag="b1")))
    write_pcap("fragments.pcap", frames)


def icmp_capture():
    """ICMP port unreachable errors that quote SIP datagrams (the quoted copy
    is the datagram that bounced, never a message sent again):
    i-bounce: the 200 bounces, the callee sends it again 500 ms later, ACK;
    i-quoted: the 200 is delivered (ACKed) while a copy of it bounces; then
    BYE, whose 200 bounces off the caller that has already closed its port."""
    f = Flow()

    def bounce():
        f.t += 0.001
        f.frames.append((f.t, icmp_unreachable(UAC, UAS, f.frames[-1][1])))

    call = "i-bounce"
    f.send(request("INVITE", "sip:bob@example.com", call, extra=CONTACT_A))
    ok = response("200 OK", "INVITE", call, extra="Contact: <sip:bob@192.0.2.20>\n")
    f.send(ok, from_uac=False)
    bounce()
    f.send(ok, from_uac=False, gap=0.5)
    f.ack(call, ruri="sip:bob@192.0.2.20", branch="z9hG4bK-%s-ack" % call)
    call = "i-quoted"
    f.send(request("INVITE", "sip:bob@example.com", call, extra=CONTACT_A))
    f.send(response("200 OK", "INVITE", call, extra="Contact: <sip:bob@192.0.2.20>\n"), from_uac=False)
    bounce()
    f.ack(call, ruri="sip:bob@192.0.2.20", branch="z9hG4bK-%s-ack" % call)
    f.send(request("BYE", "sip:bob@192.0.2.20", call, cseq=2, to_tag="b1"))
    f.send(response("200 OK", "BYE", call, cseq=2), from_uac=False)
    bounce()
    write_pcap("icmp.pcap", f.frames)


PROXY, CALLEE = "192.0.2.30", "192.0.2.40"


def proxy_capture():
    """A proxy (192.0.2.30) between the caller (UAC) and the callee
    (192.0.2.40), captured at the proxy: each call's 200 passes twice, the
    callee's to the proxy and the proxy's to the caller, and so does its ACK.
    p-ontime: the proxy relays the caller's ACK 1 ms later;
    p-late: it relays it only 1.98 s after the 200, the callee having sent
    its 200 again at T1 and 3*T1 (the proxy passing each copy on);
    p-dropped: the same copies, and the ACK is never relayed.
    Then p-direct, seen at the caller: the proxy does not Record-Route, so
    the caller's ACK, 300 ms after the 200, goes straight to the callee's
    Contact; the callee's copy at T1, passed on by the proxy, comes 200 ms
    after that ACK (it crossed it: no finding). And p-direct-lost, the same
    but with the ACK sent at once and the callee's copies at T1 and 3*T1:
    the later one shows the ACK never reached it."""
    frames = []
    t = 0.0

    def send(text, src, dst, at):
        frames.append((at, udp(src, 5060, dst, 5060, text)))

    def message(start, call, cseq_method, vias, to_tag=None, extra=""):
        via_lines = "\n".join("Via: SIP/2.0/UDP %s:5060;branch=%s" % v for v in vias)
        to = "<sip:bob@example.com>" + (";tag=%s" % to_tag if to_tag else "")
        return sip(f"""{start}
{via_lines}
Max-Forwards: 70
From: "Alice" <sip:alice@example.com>;tag=a-{call}
To: {to}
Call-ID: {call}@{UAC}
CSeq: 1 {cseq_method}
{extra}""")

    for call, relay_after in (("p-ontime", 0.001), ("p-late", 1.978), ("p-dropped", None)):
        t += 1.0
        caller_via = (UAC, "z9hG4bK-%s" % call)
        proxy_via = (PROXY, "z9hG4bK-%s-p" % call)
        send(message("INVITE sip:bob@example.com SIP/2.0", call, "INVITE", [caller_via], extra=CONTACT_A),
             UAC, PROXY, t)
        send(message("INVITE sip:bob@192.0.2.40 SIP/2.0", call, "INVITE", [proxy_via, caller_via],
                     extra="Record-Route: <sip:192.0.2.30;lr>\n" + CONTACT_A), PROXY, CALLEE, t + 0.001)
        ok_extra = "Record-Route: <sip:192.0.2.30;lr>\nContact: <sip:bob@192.0.2.40>\n"
        upstream = message("SIP/2.0 200 OK", call, "INVITE", [proxy_via, caller_via], "b1", ok_extra)
        downstream = message("SIP/2.0 200 OK", call, "INVITE", [caller_via], "b1", ok_extra)
        ok_at = t + 0.020
        send(upstream, CALLEE, PROXY, ok_at)
        send(downstream, PROXY, UAC, ok_at + 0.001)
        send(message("ACK sip:bob@192.0.2.40 SIP/2.0", call, "ACK", [(UAC, "z9hG4bK-%s-ack" % call)], "b1",
                     "Route: <sip:192.0.2.30;lr>\n"), UAC, PROXY, ok_at + 0.002)
        relay = message("ACK sip:bob@192.0.2.40 SIP/2.0", call, "ACK",
                        [(PROXY, "z9hG4bK-%s-ack-p" % call), (UAC, "z9hG4bK-%s-ack" % call)], "b1")
        if relay_after is not None and relay_after < 0.5:
            send(relay, PROXY, CALLEE, ok_at + 0.002 + relay_after)
            continue
        for copy_at in (0.5, 1.5):
            send(upstream, CALLEE, PROXY, ok_at + copy_at)
            send(downstream, PROXY, UAC, ok_at + copy_at + 0.001)
        if relay_after is not None:
            send(relay, PROXY, CALLEE, ok_at + 0.002 + relay_after)
        t = ok_at + 2.0
    for call, ack_after, copies in (("p-direct", 0.300, (0.5,)), ("p-direct-lost", 0.001, (0.5, 1.5))):
        t += 1.0
        caller_via = (UAC, "z9hG4bK-%s" % call)
        send(message("INVITE sip:bob@example.com SIP/2.0", call, "INVITE", [caller_via], extra=CONTACT_A),
             UAC, PROXY, t)
        ok = message("SIP/2.0 200 OK", call, "INVITE", [caller_via], "b1", "Contact: <sip:bob@192.0.2.40>\n")
        send(ok, PROXY, UAC, t + 0.020)
        send(message("ACK sip:bob@192.0.2.40 SIP/2.0", call, "ACK", [(UAC, "z9hG4bK-%s-ack" % call)], "b1"),
             UAC, CALLEE, t + 0.020 + ack_after)
        for copy_at in copies:
            send(ok, PROXY, UAC, t + 0.020 + copy_at)
        t += 2.0
    write_pcap("proxy.pcap", frames)


def forks_capture():
    """Seen at the caller: a proxy forks each INVITE to two phones and
    both answer, so two 200s with one Via branch and two To tags reach the
    caller (RFC 3261 13.2.2.4: each is a dialog of its own and gets its own
    ACK). fork-both: the caller ACKs both and hangs up the second.
    fork-one-acked: the caller ACKs the first only; the second phone sends
    its 200 again at T1 and 3*T1. fork-ack-repeated: the caller ACKs the
    first 200 and, when the second comes, sends that same ACK again, as if
    the second were a copy of the first (Jami's pjsip does this); the
    second phone does not send its 200 again."""
    f = Flow()
    rr = "Record-Route: <sip:192.0.2.30;lr>\n"
    phones = {"b1": "sip:bob@192.0.2.41", "b2": "sip:bob@192.0.2.42"}

    def answer(call, tag, gap=0.010):
        f.send(response("200 OK", "INVITE", call, to_tag=tag, extra=rr + "Contact: <%s>\n" % phones[tag]),
               from_uac=False, gap=gap)

    def ack(call, tag):
        f.send(request("ACK", phones[tag], call, branch="z9hG4bK-%s-ack-%s" % (call, tag), to_tag=tag,
                       extra="Route: <sip:192.0.2.30;lr>\n"))

    call = "fork-both"
    f.send(request("INVITE", "sip:bob@example.com", call, extra=CONTACT_A))
    answer(call, "b1")
    answer(call, "b2")
    ack(call, "b1")
    ack(call, "b2")
    f.send(request("BYE", phones["b2"], call, cseq=2, to_tag="b2", extra="Route: <sip:192.0.2.30;lr>\n"))
    f.send(response("200 OK", "BYE", call, cseq=2, to_tag="b2"), from_uac=False)
    call = "fork-one-acked"
    f.send(request("INVITE", "sip:bob@example.com", call, extra=CONTACT_A), gap=1.0)
    answer(call, "b1")
    answer(call, "b2")
    ack(call, "b1")
    answer(call, "b2", gap=0.480)  # the second phone's copies: T1 and 3*T1 after its 200
    answer(call, "b2", gap=1.000)
    call = "fork-ack-repeated"
    f.send(request("INVITE", "sip:bob@example.com", call, extra=CONTACT_A), gap=1.0)
    answer(call, "b1")
    ack(call, "b1")
    answer(call, "b2")
    ack(call, "b1")
    write_pcap("forks.pcap", f.frames)


# RFC 4475's torture messages, in the RFC's order (tests/unit/rfc4475/README.md)
TORTURE_DIR = os.path.join(HERE, "..", "tests", "unit", "rfc4475")
TORTURE = ["wsinv", "intmeth", "esc01", "escnull", "esc02", "lwsdisp", "longreq", "dblreq", "semiuri",
           "transports", "mpart01", "unreason", "noreason", "badinv01", "clerr", "ncl", "scalar02", "scalarlg",
           "quotbal", "ltgtruri", "lwsruri", "lwsstart", "trws", "escruri", "baddate", "regbadct", "badaspec",
           "baddn", "badvers", "mismatch01", "mismatch02", "bigcode", "badbranch", "insuf", "unkscm", "novelsc",
           "unksm2", "bext01", "invut", "regaut01", "multi01", "mcl01", "bcast", "zeromf", "cparam01", "cparam02",
           "regescrt", "sdp01", "inv2543"]


def torture_message(name):
    """A message file's bytes: line ends are CRLF, <hex>..</hex> holds raw bytes."""
    with open(os.path.join(TORTURE_DIR, name + ".txt"), encoding="utf-8") as f:
        text = f.read()
    out, pos = b"", 0
    for m in re.finditer(r"<hex>(.*?)</hex>", text, re.S):
        out += text[pos:m.start()].replace("\n", "\r\n").encode() + bytes.fromhex("".join(m.group(1).split()))
        pos = m.end()
    return out + text[pos:].replace("\n", "\r\n").encode()


def torture_capture():
    """Each of RFC 4475's 49 messages in a UDP datagram of its own, as they
    arrived (dblreq with its trailing octets, clerr short of its body)."""
    f = Flow()
    for name in TORTURE:
        data = torture_message(name)
        f.send(data, from_uac=not data.startswith(b"SIP/2.0 "))
    write_pcap("rfc4475.pcap", f.frames)


def tls_payload():
    """What pcaps/make_tls.sh sends over TLS: an INVITE and its 302."""
    call = "t-tls"
    invite = request("INVITE", "sips:bob@example.com", call, extra="Contact: <sips:alice@192.0.2.10>\n")
    moved = response("302 Moved Temporarily", "INVITE", call, extra="Contact: <sips:bob@192.0.2.4>;expires=90\n")
    return (invite + moved).replace(b"SIP/2.0/UDP", b"SIP/2.0/TLS")


def tls_sipfrag_parts():
    """What `sh pcaps/make_tls.sh sipfrag` sends over TLS, one TLS record a
    part: (1) an INVITE, another INVITE and a transfer's NOTIFY up to its
    body; (2) the NOTIFY's message/sipfrag body (RFC 3420), "SIP/2.0 200
    OK", then the 302 to the first INVITE and the 301 to the second up to
    its Call-ID; (3) the 301's rest and the first 8 bytes of the 302 to a
    third INVITE, "SIP/2.0 ", which the 301 also begins with; (4) the
    302's rest."""
    inv_a = request("INVITE", "sips:bob@example.com", "t-tls-inv", extra="Contact: <sips:alice@192.0.2.10>\n")
    inv_b = request("INVITE", "sips:carol@example.com", "t-tls-inv-b", extra="Contact: <sips:alice@192.0.2.10>\n")
    inv_c = request("INVITE", "sips:dave@example.com", "t-tls-inv-c", extra="Contact: <sips:alice@192.0.2.10>\n")
    notify = request("NOTIFY", "sips:alice@192.0.2.10", "t-tls-frag", to_tag="b1",
                     extra="Event: refer\nSubscription-State: terminated;reason=noresource\n"
                           "Content-Type: message/sipfrag;version=2.0\nContact: <sips:bob@192.0.2.20>\n",
                     body="SIP/2.0 200 OK\r\n")
    body = notify.index(b"\r\n\r\n") + 4
    moved_a = response("302 Moved Temporarily", "INVITE", "t-tls-inv", extra="Contact: <sips:bob@192.0.2.4>;expires=90\n")
    moved_b = response("301 Moved Permanently", "INVITE", "t-tls-inv-b", extra="Contact: <sips:carol@192.0.2.5>\n")
    moved_c = response("302 Moved Temporarily", "INVITE", "t-tls-inv-c",
                       extra="Contact: <sips:dave@192.0.2.6>;expires=90\n")
    cut = moved_b.index(b"Call-ID")
    parts = [inv_a + inv_b + inv_c + notify[:body], notify[body:] + moved_a + moved_b[:cut],
             moved_b[cut:] + moved_c[:8], moved_c[8:]]
    return [p.replace(b"SIP/2.0/UDP", b"SIP/2.0/TLS") for p in parts]


if __name__ == "__main__":
    import sys
    if sys.argv[1:] == ["--print-tls-payload"]:
        sys.stdout.buffer.write(tls_payload())
        sys.exit(0)
    if len(sys.argv) == 3 and sys.argv[1] == "--print-tls-sipfrag-part":
        sys.stdout.buffer.write(tls_sipfrag_parts()[int(sys.argv[2]) - 1])
        sys.exit(0)
    os.makedirs(OUT, exist_ok=True)
    rules_capture()
    clean_capture()
    registrar_capture()
    calls_capture()
    tel_capture()
    long_uris_capture()
    tcp_capture()
    tcp_resend_capture()
    tcp_fork_ack_capture()
    tcp_split_capture()
    tcp_trunk_splits_capture()
    tcp_sipfrag_capture()
    tcp_keepalive_capture()
    capture_runs_on_capture()
    malformed_capture()
    odd_text_capture()
    snaplen_capture()
    decode_as_capture()
    websocket_capture()
    sctp_capture()
    fragments_capture()
    icmp_capture()
    proxy_capture()
    forks_capture()
    torture_capture()
    odd_times_capture()
