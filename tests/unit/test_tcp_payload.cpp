// A TCP segment's payload and sequence number, read from its frame's own
// IP and TCP headers (RFC 791, RFC 8200, RFC 9293 3.1), so that a copy of
// a message at the same place of its stream is known for TCP's resend.
#include "catch.h"

#include <string>

#include "ip_frames.h"
#include "tcp_payload.h"

using namespace sipresp;
using namespace sipresp::test;

namespace {

std::string be32(std::uint32_t v) { return be16(v >> 16) + be16(v & 0xffff); }

// a TCP header of `words` 32-bit words (5: no options)
std::string tcp_header(std::uint32_t seq, unsigned sport = 5060, unsigned dport = 40000, unsigned words = 5) {
    return be16(sport) + be16(dport) + be32(seq) + be32(7) + std::string(1, static_cast<char>(words << 4)) + "\x18" +
           std::string(6, '\0') + std::string(4 * (words - 5), '\x01');
}

const std::string kPayload = "ce <sip:bob@192.0.2.4>;tag=1\r\nCall-ID: a\r\n\r\nSIP/2.0 200 OK\r\n";

TransportHint tcp_hint(unsigned sport = 5060, unsigned dport = 40000) {
    TransportHint h;
    h.kind = TransportHint::Kind::tcp;
    h.src_port = static_cast<std::uint16_t>(sport);
    h.dst_port = static_cast<std::uint16_t>(dport);
    h.whole_frame = true;
    return h;
}

}  // namespace

TEST_CASE("a TCP segment's payload and number come from its IP and TCP headers", "[tcp]") {
    SECTION("positive: Ethernet and IPv4, with the number of the payload's first byte") {
        const std::string segment = tcp_header(0x89abcdefu) + kPayload;
        const std::string frame = kEthernet + ipv4_header(segment.size(), 0x4000, 6) + segment;
        const auto p = tcp_payload(frame, tcp_hint());
        REQUIRE(p.has_value());
        CHECK(p->offset == 14 + 20 + 20);
        CHECK(p->seq == 0x89abcdefu);
        // a message that starts mid-payload (the segment begins with the
        // rest of an earlier one, as TCP's resend often does) is placed too
        const std::size_t status = frame.find("SIP/2.0");
        CHECK(tcp_seq_at(p, status) == std::optional<std::uint32_t>(0x89abcdefu + (status - p->offset)));
        CHECK_FALSE(tcp_seq_at(p, p->offset - 1).has_value());
        CHECK_FALSE(tcp_seq_at(std::nullopt, status).has_value());
    }
    SECTION("positive: IPv4 options, TCP options (timestamps), a number that wraps past 2^32") {
        const std::string segment = tcp_header(0xfffffff0u, 5060, 40000, 8) + kPayload;
        const std::string frame = kEthernet + ipv4_header(segment.size(), 0, 6, 6) + segment;
        const auto p = tcp_payload(frame, tcp_hint());
        REQUIRE(p.has_value());
        CHECK(p->offset == 14 + 24 + 32);
        CHECK(tcp_seq_at(p, p->offset + 0x20) == std::optional<std::uint32_t>(0x10u));
    }
    SECTION("positive: IPv6, directly and after extension headers; IPv4 inside IPv4") {
        const std::string segment = tcp_header(42) + kPayload;
        for (const std::string& ip : {ipv6_headers(segment.size(), 6), ipv6_headers(segment.size(), 6, {0, 60})}) {
            const std::string frame = kEthernet + ip + segment;
            const auto p = tcp_payload(frame, tcp_hint());
            REQUIRE(p.has_value());
            CHECK(p->offset == 14 + ip.size() + 20);
            CHECK(p->seq == 42u);
        }
        const std::string inner = ipv4_header(segment.size(), 0, 6) + segment;
        const std::string tunnel = kEthernet + ipv4_header(inner.size(), 0, 4) + inner;  // IP in IP
        const auto p = tcp_payload(tunnel, tcp_hint());
        REQUIRE(p.has_value());
        CHECK(p->offset == 14 + 20 + 20 + 20);
    }
    SECTION("negative: other ports, the other direction, UDP, a fragment, a short header, not the frame") {
        const std::string segment = tcp_header(1000) + kPayload;
        const std::string frame = kEthernet + ipv4_header(segment.size(), 0x4000, 6) + segment;
        CHECK_FALSE(tcp_payload(frame, tcp_hint(5061, 40000)).has_value());
        CHECK_FALSE(tcp_payload(frame, tcp_hint(40000, 5060)).has_value());
        TransportHint udp = tcp_hint();
        udp.kind = TransportHint::Kind::udp;
        CHECK_FALSE(tcp_payload(frame, udp).has_value());
        TransportHint reassembled = tcp_hint();
        reassembled.whole_frame = false;  // a buffer TCP reassembled has no header of its own
        CHECK_FALSE(tcp_payload(frame, reassembled).has_value());
        // the IP header says UDP: the same bytes are no TCP header
        CHECK_FALSE(tcp_payload(kEthernet + ipv4_header(segment.size(), 0x4000, 17) + segment, tcp_hint()).has_value());
        // a later fragment of a datagram (offset past 0) starts with no TCP header
        CHECK_FALSE(tcp_payload(kEthernet + ipv4_header(segment.size(), 0x0010, 6) + segment, tcp_hint()).has_value());
        // a data offset under 5 words, or past the frame
        std::string bad = frame;
        bad[14 + 20 + 12] = '\x40';
        CHECK_FALSE(tcp_payload(bad, tcp_hint()).has_value());
        CHECK_FALSE(tcp_payload(frame.substr(0, 14 + 20 + 19), tcp_hint()).has_value());
        const std::string long_header = kEthernet + ipv4_header(20, 0, 6) + tcp_header(1, 5060, 40000, 15).substr(0, 40);
        CHECK_FALSE(tcp_payload(long_header, tcp_hint()).has_value());
        CHECK_FALSE(tcp_payload("", tcp_hint()).has_value());
    }
}

TEST_CASE("the bytes of a segment a reassembled buffer already holds are its first ones the buffer ends with",
          "[tcp]") {
    // A 180 split over two segments, the second holding a 200 as well
    const std::string ringing = "SIP/2.0 180 Ringing\r\nContent-Length: 0\r\n\r\n";
    const std::string ok = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
    const std::string first = ringing.substr(0, 10), second = ringing.substr(10) + ok;
    SECTION("positive: the whole segment (SIP asked for one more), or its part up to the message's end") {
        CHECK(reassembled_overlap(second, first + second) == second.size());
        CHECK(reassembled_overlap(second, first + ringing.substr(10)) == ringing.size() - 10);
        // a NOTIFY whose sipfrag body alone came in the second segment
        const std::string frag = "SIP/2.0 200 OK\r\n";
        CHECK(reassembled_overlap(frag, "NOTIFY sip:a@b SIP/2.0\r\nContent-Length: 16\r\n\r\n" + frag) == frag.size());
        // the longest: a buffer whose end repeats the payload's first bytes twice
        CHECK(reassembled_overlap("abcabcX", "zzabcabc") == 6);
        CHECK(reassembled_overlap("abX", "ab") == 2);
    }
    SECTION("negative: a buffer that does not end with the segment's first bytes") {
        CHECK(reassembled_overlap(second, "decrypted TLS data\r\n") == 0);
        CHECK(reassembled_overlap(second, first) == 0);
        CHECK(reassembled_overlap(second, first + second.substr(0, 5) + "x") == 0);
        CHECK(reassembled_overlap("", first) == 0);
        CHECK(reassembled_overlap(second, "") == 0);
        CHECK(reassembled_overlap("X", "abc") == 0);
    }
}

TEST_CASE("a part of a segment a reassembled buffer ends with is held by it only when a message or nothing follows",
          "[tcp]") {
    const std::string ok = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
    const std::string moved = "SIP/2.0 302 Moved Temporarily\r\nContent-Length: 0\r\n\r\n";
    SECTION("positive: all of the segment, or its part up to a message's end, with a message or keep-alives after") {
        // the 200's last 10 bytes, then the 302
        const std::string segment = ok.substr(ok.size() - 10) + moved;
        CHECK(held_by_reassembly(segment, ok) == 10);
        CHECK(held_by_reassembly(ok.substr(ok.size() - 10) + "\r\n\r\n" + moved, ok) == 10);
        CHECK(held_by_reassembly(ok.substr(ok.size() - 10), ok) == 10);
    }
    SECTION("negative: a buffer whose last bytes merely equal the segment's first ones") {
        // a body ending in "S" before a segment that opens with a status line
        CHECK(reassembled_overlap(moved, "body ending in S") == 1);
        CHECK(held_by_reassembly(moved, "body ending in S") == 0);
        // ending with a response's start, before a segment opening with another response
        CHECK(held_by_reassembly(moved, ok + "SIP/2.0 ") == 0);
        CHECK(held_by_reassembly(moved, "decrypted TLS data") == 0);
    }
}
