"""The same SIP traffic under other link and network layers than Ethernet and
IPv4: 802.1Q VLAN with IPv6 (carrier captures), Linux cooked capture v1 and
v2 (`tcpdump -i any`), raw IP, and the tunnels mirrored traffic comes in
(VXLAN, GRE, ERSPAN, IP in IP) or a carrier's MPLS. sipresp finds a message from the UDP header
just before it (src/message_locator), whatever carries that header, so
every frame must be analysed exactly as in the Ethernet/IPv4 original:
same codes, targets, links and rules, frame for frame. And the same when
every datagram arrives as two IPv4 fragments, where the message is in the
buffer Wireshark reassembles on the last one.

The variants are built here from pcaps/handmade/calls.pcap (each UDP
datagram's payload and ports kept, the layers below it rewritten), so the
repository keeps one capture."""
import os
import socket
import struct
import sys
import tempfile
import unittest

from tshark_run import PCAPS, fields, pcap

sys.path.insert(0, PCAPS)
from make_handmade import checksum, ether, ip4, ipv4  # noqa: E402 (the captures' own frame helpers)

SOURCE = pcap("handmade/calls.pcap")
COMPARED = ["sipresp.status_code", "sipresp.method", "sipresp.request_frame", "sipresp.target.uri",
            "sipresp.target.rank", "sipresp.target.lifetime", "sipresp.target.followed_in",
            "sipresp.redirected_by", "sipresp.redirect_depth", "sipresp.ack_frame", "sipresp.rule"]


def read_classic_pcap(path):
    """link type and (seconds, microseconds, bytes) of each record"""
    with open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack("<I", data[:4])
    if magic != 0xA1B2C3D4:
        raise AssertionError("%s: expected a little-endian microsecond pcap" % path)
    link, = struct.unpack("<I", data[20:24])
    records, at = [], 24
    while at < len(data):
        sec, usec, caplen, _ = struct.unpack("<IIII", data[at:at + 16])
        records.append((sec, usec, data[at + 16:at + 16 + caplen]))
        at += 16 + caplen
    return link, records


def udp_datagrams(path):
    """(seconds, microseconds, IPv4 source, IPv4 destination (dotted), UDP
    header and payload) of each Ethernet/IPv4/UDP record"""
    link, records = read_classic_pcap(path)
    assert link == 1, "the source capture is Ethernet"
    out = []
    for sec, usec, frame in records:
        assert frame[12:14] == b"\x08\x00" and frame[23] == 17, "every record is IPv4/UDP"
        header = (frame[14] & 0x0F) * 4
        total, = struct.unpack(">H", frame[16:18])
        out.append((sec, usec, socket.inet_ntoa(frame[26:30]), socket.inet_ntoa(frame[30:34]),
                    frame[14 + header:14 + total]))
    return out


def ipv6(src4, dst4, udp):
    # documentation prefix 2001:db8::/32, the IPv4 address as the last 32 bits
    src, dst = b"\x20\x01\x0d\xb8" + bytes(8) + ip4(src4), b"\x20\x01\x0d\xb8" + bytes(8) + ip4(dst4)
    # UDP over IPv6 must carry a checksum (RFC 8200 8.1), over this pseudo-header
    zeroed = udp[:6] + b"\0\0" + udp[8:]
    pseudo = src + dst + struct.pack(">IxxxB", len(udp), 17)
    udp = udp[:6] + struct.pack(">H", checksum(pseudo + zeroed) or 0xFFFF) + udp[8:]
    return struct.pack(">IHBB", 0x60000000, len(udp), 17, 64) + src + dst + udp


def tunnelled(protocol, payload):
    """an Ethernet/IPv4 frame between two tunnel ends"""
    return ether(ipv4("198.51.100.1", "198.51.100.2", protocol, payload))


MACS = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01"
VARIANTS = {
    # name: (link type, frame builder, protocols tshark must see below UDP)
    "vlan-ipv6": (1, lambda s, d, u: MACS + b"\x81\x00\x00\x64\x86\xdd" + ipv6(s, d, u),
                  "eth:ethertype:vlan:ethertype:ipv6:udp"),
    "linux-cooked": (113, lambda s, d, u: struct.pack(">HHH8sH", 0, 1, 6, MACS[6:] + b"\0\0", 0x0800) +
                     ipv4(s, d, 17, u), "sll:ethertype:ip:udp"),
    "linux-cooked-v2": (276, lambda s, d, u: struct.pack(">HHIHBB8s", 0x0800, 0, 2, 1, 0, 6, MACS[6:] + b"\0\0") +
                        ipv4(s, d, 17, u), "sll:ethertype:ip:udp"),
    "raw-ip": (101, lambda s, d, u: ipv4(s, d, 17, u), "raw:ip:udp"),
    # tunnels, as mirrored traffic arrives: cloud traffic mirroring sends
    # each packet inside VXLAN (RFC 7348) to UDP port 4789, a SPAN over a
    # routed network in GRE (RFC 2784), some carriers IP in IP (RFC 2003).
    # There the frame holds two IP headers, and for VXLAN two UDP headers:
    # the message is after the inner one
    "vxlan": (1, lambda s, d, u: tunnelled(17, struct.pack(">HHHH", 40000, 4789, 16 + 14 + 20 + len(u), 0) +
                                           struct.pack(">II", 0x08000000, 1234 << 8) + ether(ipv4(s, d, 17, u))),
              "eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:udp"),
    "gre": (1, lambda s, d, u: tunnelled(47, struct.pack(">HH", 0, 0x0800) + ipv4(s, d, 17, u)),
            "eth:ethertype:ip:gre:ip:udp"),
    "ip-in-ip": (1, lambda s, d, u: tunnelled(4, ipv4(s, d, 17, u)), "eth:ethertype:ip:ip:udp"),
    # a Cisco remote SPAN: GRE with a sequence number, then an ERSPAN type II
    # header (version 1, session 1) and the mirrored Ethernet frame
    "erspan": (1, lambda s, d, u: tunnelled(47, struct.pack(">HHI", 0x1000, 0x88BE, 7) +
                                             struct.pack(">II", 0x10010000, 0) + ether(ipv4(s, d, 17, u))),
               "eth:ethertype:ip:gre:erspan:eth:ethertype:ip:udp"),
    # a carrier's core link: one MPLS label (bottom of stack) before IPv4.
    # From 4.2 on Wireshark dissects the IPv4 header there but leaves "ip"
    # out of frame.protocols
    "mpls": (1, lambda s, d, u: MACS + b"\x88\x47" + struct.pack(">I", 100 << 12 | 1 << 8 | 64) + ipv4(s, d, 17, u),
             ("eth:ethertype:mpls:ip:udp", "eth:ethertype:mpls:udp")),
}


def ipv4_fragments(src, dst, ident, udp):
    """the datagram in two fragments, cut at a multiple of 8 bytes (RFC 791)"""
    cut = len(udp) // 2 // 8 * 8
    return [ether(ipv4(src, dst, 17, part, ident, more | offset))
            for offset, more, part in ((0, 0x2000, udp[:cut]), (cut // 8, 0, udp[cut:]))]


def write_pcap(path, link, records):
    """a little-endian microsecond pcap of (seconds, microseconds, bytes)
    records, readable by the unprivileged user tshark runs as"""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, link))
        for sec, usec, frame in records:
            f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)) + frame)
    os.chmod(path, 0o644)


def write_fragmented(path):
    """every datagram of the source as two IPv4 fragments: original frame n
    becomes frames 2n - 1 (first fragment) and 2n (reassembled there)"""
    write_pcap(path, 1, [(sec, usec, frame)
                         for ident, (sec, usec, src, dst, udp) in enumerate(udp_datagrams(SOURCE), start=1)
                         for frame in ipv4_fragments(src, dst, ident, udp)])


def write_variant(path, name):
    link, build, _ = VARIANTS[name]
    write_pcap(path, link, [(sec, usec, build(src, dst, udp)) for sec, usec, src, dst, udp in udp_datagrams(SOURCE)])


class Encapsulations(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.original = fields(SOURCE, COMPARED, two_pass=True)
        # what is compared is there to compare: responses analysed, a
        # redirect followed, rules hit
        analysed = [r for r in cls.original if r["sipresp.status_code"]]
        assert len(analysed) >= 20, len(analysed)
        assert any(r["sipresp.redirected_by"] for r in cls.original)
        assert any(r["sipresp.target.followed_in"] for r in cls.original)
        assert any(r["sipresp.rule"] for r in cls.original)

    def test_same_analysis_under_every_encapsulation(self):
        with tempfile.TemporaryDirectory() as tmp:
            os.chmod(tmp, 0o755)  # tshark runs as another user when the tests run as root
            for name, (_, _, protocols) in VARIANTS.items():
                with self.subTest(encapsulation=name):
                    path = os.path.join(tmp, name + ".pcap")
                    write_variant(path, name)
                    layers = fields(path, ["frame.protocols"])
                    self.assertEqual(len(layers), len(self.original))
                    accepted = (protocols,) if isinstance(protocols, str) else protocols
                    self.assertTrue(all(any(r["frame.protocols"][0].startswith(p + ":sip") for p in accepted)
                                        for r in layers), layers[0])
                    self.assertEqual(fields(path, COMPARED, two_pass=True), self.original)

    def test_same_analysis_when_every_datagram_is_fragmented(self):
        # A SIP message over UDP bigger than the path MTU (an INVITE with a
        # large SDP, a 3xx with many Contacts) arrives as IP fragments;
        # Wireshark reassembles them and the SIP dissector runs on the last
        # fragment's frame, where sipresp must find it in the reassembled
        # datagram (and nothing in the fragments before it).
        frame_fields = {"sipresp.request_frame", "sipresp.target.followed_in", "sipresp.redirected_by",
                        "sipresp.ack_frame"}
        # frame n of the original is frame 2n here, and so are its links
        expected = [{n: [str(2 * int(v)) for v in vs] if n in frame_fields else vs for n, vs in row.items()}
                    for row in self.original]
        with tempfile.TemporaryDirectory() as tmp:
            os.chmod(tmp, 0o755)
            path = os.path.join(tmp, "fragmented.pcap")
            write_fragmented(path)
            reassembled = fields(path, ["frame.number"], display_filter="ip.fragments && sip")
            self.assertEqual([r["frame.number"] for r in reassembled],
                             [[str(2 * n)] for n in range(1, len(self.original) + 1)])
            got = fields(path, COMPARED, two_pass=True)
            self.assertEqual(got[0::2], [{n: [] for n in COMPARED}] * len(self.original))
            self.assertEqual(got[1::2], expected)


if __name__ == "__main__":
    unittest.main()
