// The SIP message in a first IP fragment that Wireshark holds back for
// reassembly (and never reassembles when the capture lacks the rest): found
// from the frame's own bytes, with what its start line and CSeq say.
#include "catch.h"

#include <string>

#include "first_fragment.h"
#include "ip_frames.h"
#include "sip_text.h"

using namespace sipresp;
using namespace sipresp::test;

namespace {

// A 200 with a body too big for one Ethernet frame, and an INVITE with one
const std::string kBig200 = crlf(
    "SIP/2.0 200 OK\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK7\nCall-ID: g\nCSeq: 4711 INVITE\n"
    "Contact: <sip:bob@192.0.2.4>\nContent-Length: 2000\n\n") + std::string(2000, 'v');
const std::string kBigInvite = crlf(
    "INVITE sip:bob@example.com SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK8\nCall-ID: h\nCSeq: 2 INVITE\n"
    "Content-Length: 2000\n\n") + std::string(2000, 'v');

constexpr std::size_t kCarried = 1480;  // what an Ethernet MTU leaves after a 20-byte IPv4 header

std::string fragment_of(const std::string& message, std::size_t carried = kCarried) {
    return datagram(message).substr(0, carried);
}

// What was found points into `frame`: a temporary frame would leave it
// pointing at freed bytes, so none is taken.
FirstFragmentMessage find(const std::string& frame) {
    FirstFragmentMessage found;
    REQUIRE(find_first_fragment_message(frame, found));
    return found;
}
FirstFragmentMessage find(std::string&& frame) = delete;

bool finds(const std::string& frame) {
    FirstFragmentMessage found;
    return find_first_fragment_message(frame, found);
}

}  // namespace

TEST_CASE("a first IP fragment held for reassembly shows its SIP message's start", "[first_fragment]") {
    SECTION("IPv4: the response, where it starts, and how much of it the frame holds") {
        const std::string frame = kEthernet + ipv4_header(kCarried, 0x2000) + fragment_of(kBig200);
        const FirstFragmentMessage m = find(frame);
        CHECK(m.offset == 14 + 20 + 8);
        CHECK(m.length == kCarried - 8);
        CHECK(m.sent_length == kBig200.size());
        CHECK_FALSE(m.is_request);
        CHECK(m.start_line == "SIP/2.0 200 OK");
        CHECK(m.line == "200 OK");
        CHECK(m.cseq_number == 4711);
        CHECK(m.cseq_method == "INVITE");
    }
    SECTION("IPv4 with options, and behind an 802.1Q tag") {
        const std::string with_options = kEthernet + ipv4_header(kCarried, 0x2000, 17, 7) + fragment_of(kBig200);
        CHECK(find(with_options).offset == 14 + 28 + 8);
        const std::string tagged = std::string(12, '\x02') + std::string("\x81\x00\x00\x05\x08\x00", 6);
        const std::string tagged_frame = tagged + ipv4_header(kCarried, 0x2000) + fragment_of(kBig200);
        CHECK(find(tagged_frame).offset == 18 + 20 + 8);
    }
    SECTION("a request: its method and Request-URI") {
        const std::string frame = kEthernet + ipv4_header(kCarried, 0x2000) + fragment_of(kBigInvite);
        const FirstFragmentMessage m = find(frame);
        CHECK(m.is_request);
        CHECK(m.line == "INVITE sip:bob@example.com");
        CHECK(m.cseq_method == "INVITE");
    }
    SECTION("IPv6: a Fragment header right after the fixed header") {
        const std::size_t carried = 1448;
        const std::string frame = kEthernet + ipv6_fragment_headers(carried, true) + fragment_of(kBig200, carried);
        const FirstFragmentMessage m = find(frame);
        CHECK(m.offset == 14 + 40 + 8 + 8);
        CHECK(m.length == carried - 8);
        CHECK(m.line == "200 OK");
    }
    SECTION("IPv6: Hop-by-Hop and Destination Options headers before the Fragment header") {
        const std::size_t carried = 1432;
        const std::string frame = kEthernet + ipv6_fragment_headers(carried, true, 17, {0, 60}) +
                                  fragment_of(kBig200, carried);
        CHECK(find(frame).offset == 14 + 40 + 16 + 8 + 8);
    }
    SECTION("a CSeq past the fragment: the message is still named, its method not") {
        const std::string padding = "X-Padding: " + std::string(1500, 'p') + "\r\n";
        const std::string late = crlf("SIP/2.0 302 Moved Temporarily\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK9\n") +
                                 padding + crlf("CSeq: 1 INVITE\nContent-Length: 0\n\n");
        const std::string frame = kEthernet + ipv4_header(kCarried, 0x2000) + fragment_of(late);
        const FirstFragmentMessage m = find(frame);
        CHECK(m.line == "302 Moved Temporarily");
        CHECK(m.cseq_method.empty());
    }
}

TEST_CASE("negative: nothing is named where no first fragment of a SIP datagram is", "[first_fragment]") {
    const std::string sip = fragment_of(kBig200);
    // the last fragment or a whole datagram (More Fragments clear)
    CHECK_FALSE(finds(kEthernet + ipv4_header(kCarried, 0) + sip));
    // a later fragment: no UDP header in it, whatever its bytes look like
    CHECK_FALSE(finds(kEthernet + ipv4_header(kCarried, 0x2000 | 185) + sip));
    // another protocol than UDP
    CHECK_FALSE(finds(kEthernet + ipv4_header(kCarried, 0x2000, 6) + sip));
    // a UDP length the fragment holds whole: no datagram beyond it
    const std::string small = datagram(crlf("SIP/2.0 200 OK\nCSeq: 1 INVITE\n\n"));
    CHECK_FALSE(finds(kEthernet + ipv4_header(small.size(), 0x2000) + small));
    // no SIP start line after the UDP header
    std::string other = datagram("HTTP/1.1 200 OK\r\n" + std::string(2000, 'h')).substr(0, kCarried);
    CHECK_FALSE(finds(kEthernet + ipv4_header(kCarried, 0x2000) + other));
    // an IP total length past the frame (the frame is not that fragment)
    CHECK_FALSE(finds(kEthernet + ipv4_header(kCarried + 1, 0x2000) + sip));
    // IPv6: M clear, or a Fragment header for TCP
    CHECK_FALSE(finds(kEthernet + ipv6_fragment_headers(kCarried, false) + sip));
    CHECK_FALSE(finds(kEthernet + ipv6_fragment_headers(kCarried, true, 6) + sip));
    // an IP header further into the frame than any link layer puts it
    CHECK_FALSE(finds(std::string(200, '\x02') + ipv4_header(kCarried, 0x2000) + sip));
    // only the frame's first IP fragment header is read: one that carries
    // no SIP hides a SIP first fragment inside it (a crafted frame cannot
    // make the message be parsed again at each offset)
    const std::string inner = ipv4_header(kCarried, 0x2000) + sip;
    const std::string outer = datagram(std::string(8, 'x') + inner).substr(0, kCarried + 200);
    CHECK_FALSE(finds(kEthernet + ipv4_header(outer.size(), 0x2000) + outer));
    CHECK(finds(kEthernet + ipv4_header(kCarried + 36, 0) + datagram(std::string(8, 'x') + inner)));  // a tunnel: the outer header whole
    // and a frame too short for any header
    CHECK_FALSE(finds(std::string("\x45")));
    CHECK_FALSE(finds(std::string()));
}

TEST_CASE("the fragments of one datagram share its key, and no other datagram's", "[first_fragment]") {
    const std::string datagram_bytes = datagram(kBig200);
    const std::string first = kEthernet + ipv4_header(kCarried, 0x2000) + datagram_bytes.substr(0, kCarried);
    // the last fragment: offset 1480 bytes (185 units), More Fragments clear
    const std::string rest = datagram_bytes.substr(kCarried);
    const std::string last = kEthernet + ipv4_header(rest.size(), 185) + rest;
    const std::uint64_t key = ip_fragment_datagram(first);
    CHECK(key != 0);
    CHECK(ip_fragment_datagram(last) == key);
    CHECK(find(first).datagram == key);
    // another identification (bytes 4-5 of the IPv4 header): another datagram
    std::string other = last;
    other[kEthernet.size() + 5] ^= 1;
    CHECK(ip_fragment_datagram(other) != key);
    // another source address (bytes 12-15)
    other = last;
    other[kEthernet.size() + 12] ^= 1;
    CHECK(ip_fragment_datagram(other) != key);
    // over IPv6: the first and a later fragment (offset 1448 bytes, 181 units)
    const std::size_t carried6 = 1448;
    const std::string first6 = kEthernet + ipv6_fragment_headers(carried6, true) + datagram_bytes.substr(0, carried6);
    std::string later6 = kEthernet + ipv6_fragment_headers(datagram_bytes.size() - carried6, false) +
                         datagram_bytes.substr(carried6);
    const std::string offset = be16(181 << 3);
    later6.replace(kEthernet.size() + 42, 2, offset);
    CHECK(ip_fragment_datagram(first6) != 0);
    CHECK(ip_fragment_datagram(later6) == ip_fragment_datagram(first6));
    CHECK(ip_fragment_datagram(first6) != key);
    // negative: a datagram in one piece is no fragment (nor an IPv6 atomic
    // fragment, M clear at offset 0: RFC 6946), nor a fragment of TCP
    const std::string small = datagram(crlf("SIP/2.0 200 OK\nCSeq: 1 INVITE\n\n"));
    CHECK(ip_fragment_datagram(kEthernet + ipv4_header(small.size(), 0x4000) + small) == 0);
    CHECK(ip_fragment_datagram(kEthernet + ipv6_fragment_headers(small.size(), false) + small) == 0);
    CHECK(ip_fragment_datagram(kEthernet + ipv4_header(rest.size(), 185, 6) + rest) == 0);
}
