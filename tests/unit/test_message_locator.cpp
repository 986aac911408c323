// Finding SIP messages in frame bytes without the SIP dissector's tree:
// where a start line may begin (after a UDP/TCP/WebSocket header, after the
// previous message, at the start of a reassembled buffer) and where each
// message ends (Content-Length, else the end of the buffer).
#include "catch.h"

#include <string>

#include "ip_frames.h"
#include "message_locator.h"
#include "sip_text.h"

using namespace sipresp;
using sipresp::test::be16;
using sipresp::test::crlf;
using sipresp::test::datagram;
using sipresp::test::ipv4_header;
using sipresp::test::ipv6_fragment_headers;
using sipresp::test::kEthernet;

namespace {

// Ethernet + IPv4 headers (34 bytes of binary that never matter here)
const std::string kLink = std::string(12, '\x02') + "\x08\x00" + std::string(20, '\x45');

std::string udp_frame(const std::string& payload, unsigned sport = 5060, unsigned dport = 5080,
                      const std::string& checksum = std::string(2, '\0')) {
    return kLink + datagram(payload, sport, dport, checksum);
}

std::string tcp_frame(const std::string& payload, unsigned sport = 5060, unsigned dport = 40000) {
    std::string header = be16(sport) + be16(dport) + std::string(8, '\x01') + std::string(1, '\x50') +
                         std::string(1, '\x18') + std::string(6, '\x00');  // data offset 5 words = 20 bytes
    return kLink + header + payload;
}

const std::string kInvite = crlf(
    "INVITE sip:bob@example.com SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\nCall-ID: a\nCSeq: 1 INVITE\n"
    "Content-Length: 0\n\n");
const std::string kOk = crlf("SIP/2.0 200 OK\nVia: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK2\nCall-ID: b\nCSeq: 1 OPTIONS\nl: 4\n\n") +
                        "body";
const std::string k302 = crlf(
    "SIP/2.0 302 Moved Temporarily\nVia: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK3\nCall-ID: c\nCSeq: 1 INVITE\n"
    "Contact: <sip:bob@192.0.2.4>\nContent-Length: 0\n\n");

// from port 5060 to `port`, as udp_frame() and tcp_frame() write them
TransportHint hint_to(TransportHint::Kind kind, std::uint16_t port, bool frame) {
    TransportHint h;
    h.kind = kind;
    h.src_port = 5060;
    h.dst_port = port;
    h.whole_frame = frame;
    return h;
}

TransportHint udp_hint(bool frame = true) { return hint_to(TransportHint::Kind::udp, 5080, frame); }
TransportHint tcp_hint() { return hint_to(TransportHint::Kind::tcp, 40000, true); }

std::vector<LocatedMessage> locate(const std::string& buffer, const TransportHint& h) {
    LocatedMessage out[8];
    const std::size_t n = locate_messages(buffer, h, out, 8);
    return {out, out + n};
}

}  // namespace

TEST_CASE("a UDP datagram's message starts right after the UDP header and runs to its end", "[locator]") {
    const std::string frame = udp_frame(kInvite);
    const auto found = locate(frame, udp_hint());
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == kLink.size() + 8);
    CHECK(found[0].length == kInvite.size());
}

TEST_CASE("a UDP datagram is one message: bytes past its body are not another (RFC 3261 18.3)", "[locator]") {
    // kOk's Content-Length ends its body before k302's start line
    const std::string frame = udp_frame(kOk + k302);
    const auto found = locate(frame, udp_hint());
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == kLink.size() + 8);
    CHECK(found[0].length == kOk.size() + k302.size());
    // the datagram's own length says where it ends, not the end of the frame
    // (an Ethernet trailer or padding may follow)
    const std::string padded = udp_frame(kOk) + std::string(6, '\0');
    const auto in_padded = locate(padded, udp_hint());
    REQUIRE(in_padded.size() == 1);
    CHECK(in_padded[0].length == kOk.size());
    // the same bytes outside a datagram (a reassembled buffer) are two messages
    CHECK(locate(kOk + k302, udp_hint(false)).size() == 2);
}

TEST_CASE("a datagram the capture cut short runs to the end of what was kept, when the cut is known", "[locator]") {
    // a snapshot length of 60 bytes past the UDP header: the UDP length
    // still counts the whole datagram, more than the frame holds
    const std::string frame = udp_frame(kInvite).substr(0, kLink.size() + 8 + 60);
    TransportHint cut = udp_hint();
    cut.cut_short = true;
    const auto found = locate(frame, cut);
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == kLink.size() + 8);
    CHECK(found[0].length == 60);
    // not known to be cut: a UDP length past the frame is no datagram of
    // this frame's, and its start line no message
    CHECK(locate(frame, udp_hint()).empty());
    // the ports must still be this datagram's
    TransportHint other_ports = cut;
    other_ports.dst_port = 5081;
    CHECK(locate(frame, other_ports).empty());
}

namespace {

// A 302 too big for one Ethernet frame: a sender's IP layer cuts its
// datagram into fragments (RFC 791, RFC 8200 4.5), and only the first
// carries the UDP header, whose length counts the whole datagram.
const std::string kBig302 = crlf(
    "SIP/2.0 302 Moved Temporarily\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK4\nCall-ID: f\nCSeq: 1 INVITE\n"
    "Contact: <sip:bob@192.0.2.4>\nContent-Length: 2000\n\n") + std::string(2000, 'x');

// The first fragment of kBig302's datagram as an Ethernet frame: the IP
// header `ip` (built for `carried` bytes), then that many bytes of the
// datagram: its UDP header and the start of the message.
std::string first_fragment(const std::string& ip, std::size_t carried) {
    return kEthernet + ip + datagram(kBig302).substr(0, carried);
}

}  // namespace

TEST_CASE("the first IP fragment of a datagram holds the start of its message, to the end of the frame",
          "[locator]") {
    constexpr std::size_t kCarried = 1480;  // an Ethernet MTU's worth
    const auto check_found = [](const std::string& frame, std::size_t headers) {
        const auto found = locate(frame, udp_hint());
        REQUIRE(found.size() == 1);
        CHECK(found[0].offset == headers + 8);
        CHECK(found[0].length == frame.size() - headers - 8);
        CHECK(found[0].in_fragments);
    };
    SECTION("IPv4, More Fragments set at offset 0") {
        check_found(first_fragment(ipv4_header(kCarried, 0x2000), kCarried), kEthernet.size() + 20);
        // with options the header is longer (its IHL says by how much)
        check_found(first_fragment(ipv4_header(kCarried, 0x2000, 17, 7), kCarried), kEthernet.size() + 28);
    }
    SECTION("IPv6, with a Fragment header whose M flag is set at offset 0") {
        const std::string frame = kEthernet + ipv6_fragment_headers(kCarried, true) + datagram(kBig302).substr(0, kCarried);
        check_found(frame, kEthernet.size() + 48);
        // Hop-by-Hop and Destination Options headers before the Fragment header
        const std::string extended = kEthernet + ipv6_fragment_headers(kCarried - 16, true, 17, {0, 60}) +
                                     datagram(kBig302).substr(0, kCarried - 16);
        check_found(extended, kEthernet.size() + 64);
    }
    SECTION("a whole datagram is not in fragments, nor one the capture cut short") {
        const auto whole = locate(udp_frame(kInvite), udp_hint());
        REQUIRE(whole.size() == 1);
        CHECK_FALSE(whole[0].in_fragments);
        TransportHint cut = udp_hint();
        cut.cut_short = true;
        const auto snapped = locate(udp_frame(kInvite).substr(0, kLink.size() + 8 + 60), cut);
        REQUIRE(snapped.size() == 1);
        CHECK_FALSE(snapped[0].in_fragments);
    }
    SECTION("negative: a UDP length past the frame without a first fragment's IP header is no datagram's") {
        // More Fragments clear: the last fragment or none, so the length is wrong
        CHECK(locate(first_fragment(ipv4_header(kCarried, 0), kCarried), udp_hint()).empty());
        // a later fragment carries no UDP header, whatever its bytes look like
        CHECK(locate(first_fragment(ipv4_header(kCarried, 0x2000 | 185), kCarried), udp_hint()).empty());
        // another protocol than UDP in the IP header
        CHECK(locate(first_fragment(ipv4_header(kCarried, 0x2000, 6), kCarried), udp_hint()).empty());
        // an IP header that does not end where the UDP header starts
        CHECK(locate(kEthernet + ipv4_header(kCarried, 0x2000) + "\x01" + datagram(kBig302).substr(0, kCarried),
                     udp_hint()).empty());
        // IPv6: the last fragment (M clear), or a Fragment header that names another next header
        CHECK(locate(kEthernet + ipv6_fragment_headers(kCarried, false) + datagram(kBig302).substr(0, kCarried),
                     udp_hint()).empty());
        CHECK(locate(kEthernet + ipv6_fragment_headers(kCarried, true, 6) + datagram(kBig302).substr(0, kCarried),
                     udp_hint()).empty());
        // a buffer Wireshark built (reassembled, decrypted) holds no IP header
        CHECK(locate(datagram(kBig302).substr(0, kCarried), udp_hint(false)).empty());
    }
}

TEST_CASE("a UDP checksum that looks like method characters does not lengthen the method", "[locator]") {
    // checksum bytes "XY" are token characters (25.1), right before "INVITE"
    const std::string frame = udp_frame(kInvite, 5060, 5080, "XY");
    const auto found = locate(frame, udp_hint());
    REQUIRE(found.size() == 1);
    CHECK(frame.substr(found[0].offset, 7) == "INVITE ");
}

TEST_CASE("a UDP checksum ending in a line feed and a method character does not start the message early",
          "[locator]") {
    // "\nA" before "INVITE": a message may start after a line feed, and
    // "AINVITE" is a token; but the datagram's message is its payload (18.3)
    const std::string frame = udp_frame(kInvite, 5060, 5080, "\nA");
    const auto found = locate(frame, udp_hint());
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == kLink.size() + 8);
    CHECK(found[0].length == kInvite.size());
}

TEST_CASE("a datagram's message is found past keep-alive line ends, an outer header with its ports, or its ports "
          "written earlier in the frame", "[locator]") {
    // CRLFs before the start line (7.5): the message starts after them
    const auto after_crlf = locate(udp_frame("\r\n\r\n" + kInvite), udp_hint());
    REQUIRE(after_crlf.size() == 1);
    CHECK(after_crlf[0].offset == kLink.size() + 8 + 4);
    CHECK(after_crlf[0].length == kInvite.size());
    // a tunnel whose outer UDP header has the same ports: its payload (an
    // IP header) is no start line; the inner datagram's is
    const std::string tunnel = udp_frame(std::string(20, '\x45') + datagram(k302));
    const auto tunnelled = locate(tunnel, udp_hint());
    REQUIRE(tunnelled.size() == 1);
    CHECK(tunnelled[0].offset == tunnel.size() - k302.size());
    CHECK(tunnelled[0].length == k302.size());
    // the ports' bytes in the link and IP headers, with a length that does not fit
    const std::string link = std::string(4, '\x02') + be16(5060) + be16(5080) + be16(60000) +
                             std::string(4, '\x02') + "\x08\x00" + std::string(20, '\x45');
    const std::string frame = link + datagram(kOk);
    const auto found = locate(frame, udp_hint());
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == link.size() + 8);
    CHECK(found[0].length == kOk.size());
}

TEST_CASE("a start line not right after this datagram's UDP header is not a message", "[locator]") {
    TransportHint other_ports = udp_hint();
    other_ports.src_port = 9999;
    CHECK(locate(udp_frame(kInvite), other_ports).empty());
    // nor is "SIP/2.0" inside a Via, a status line in the middle of binary, or offset 0 of a frame
    CHECK(locate(kLink + "Via: SIP/2.0/UDP host", udp_hint()).empty());
    CHECK(locate(kLink + "\x07SIP/2.0 200 OK\r\n\r\n", udp_hint()).empty());
    CHECK(locate(k302, udp_hint(true)).empty());
}

TEST_CASE("two messages in one TCP segment: the second starts where the first's body ends", "[locator]") {
    const TransportHint tcp = tcp_hint();
    const std::string frame = tcp_frame(kOk + k302);
    const auto found = locate(frame, tcp);
    REQUIRE(found.size() == 2);
    CHECK(found[0].offset == kLink.size() + 20);
    CHECK(found[0].length == kOk.size());  // l: 4 (compact Content-Length) counts the body
    CHECK(found[1].offset == found[0].offset + kOk.size());
    CHECK(found[1].length == k302.size());
}

TEST_CASE("a TCP segment ending inside a message says the message goes on past it", "[locator]") {
    const TransportHint tcp = tcp_hint();
    const std::size_t blank = k302.find("\r\n\r\n");
    // cut inside the start line (past its code), inside a header line,
    // right after a line end, and right before the blank line
    for (const std::size_t cut : {std::size_t{20}, std::size_t{40}, k302.find("Contact"), blank + 2}) {
        INFO(cut);
        const auto found = locate(tcp_frame(kOk + k302.substr(0, cut)), tcp);
        REQUIRE(found.size() == 2);
        CHECK_FALSE(found[0].goes_on);
        CHECK(found[1].length == cut);
        CHECK(found[1].goes_on);
    }
    const auto body_cut = locate(tcp_frame(kOk.substr(0, kOk.size() - 1)), tcp);
    REQUIRE(body_cut.size() == 1);
    CHECK(body_cut[0].goes_on);
    // whole: a body of exactly Content-Length bytes, Content-Length 0
    const auto whole = locate(tcp_frame(kOk + k302), tcp);
    REQUIRE(whole.size() == 2);
    CHECK_FALSE(whole[0].goes_on);
    CHECK_FALSE(whole[1].goes_on);
    // no Content-Length, or one that cannot be read: its end is not known,
    // and the message is taken to end with the buffer
    for (const char* header : {"Subject: x", "Content-Length: many"}) {
        const std::string m = crlf(std::string("SIP/2.0 200 OK\nCall-ID: q\n") + header + "\n\n") + "ab";
        INFO(header);
        const auto found = locate(tcp_frame(m), tcp);
        REQUIRE(found.size() == 1);
        CHECK_FALSE(found[0].goes_on);
    }
    // a line ended by a lone CR: the SIP dissector ends lines there too, and
    // may find the blank line sipresp does not (hostile bytes): not said
    // to go on, but read, and found broken, here
    for (const std::string& bare : {std::string("SIP/2.0 301 Moved\r\r\r\n"),
                                    std::string("SIP/2.0 200 OK\nContent-Length:0\r\n\rX\ns\n"),
                                    std::string("SIP/2.0 200 OK\r\nX: a\rb\r\nContent-Length: 9\r\n\r\nab")}) {
        INFO(bare);
        const auto found = locate(tcp_frame(bare), tcp);
        REQUIRE(found.size() == 1);
        CHECK(found[0].length == bare.size());
        CHECK_FALSE(found[0].goes_on);
    }
    // (one in the body is no line end of the header section's)
    const std::string cr_in_body = "SIP/2.0 200 OK\r\nContent-Length: 9\r\n\r\nab\rc";
    const auto in_body = locate(tcp_frame(cr_in_body), tcp);
    REQUIRE(in_body.size() == 1);
    CHECK(in_body[0].goes_on);
    // a CR last may be the first half of a CRLF the next segment ends
    const auto cr_last = locate(tcp_frame(k302.substr(0, k302.find("Contact") - 1)), tcp);
    REQUIRE(cr_last.size() == 1);
    CHECK(cr_last[0].goes_on);
    // a datagram is one message whatever its Content-Length says (18.3)
    const std::string truncated = crlf("SIP/2.0 302 Moved\nCall-ID: t\nContent-Length: 500\n\n") + "short";
    const auto datagram_message = locate(udp_frame(truncated), udp_hint());
    REQUIRE(datagram_message.size() == 1);
    CHECK_FALSE(datagram_message[0].goes_on);
}

TEST_CASE("a reassembled or decrypted buffer starts with its message", "[locator]") {
    const auto found = locate(k302, udp_hint(false));
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == 0);
    CHECK(found[0].length == k302.size());
}

TEST_CASE("a status line inside a body (message/sipfrag) is not another message", "[locator]") {
    const std::string frag = crlf("SIP/2.0 200 OK\n");
    const std::string notify =
        crlf("NOTIFY sip:alice@192.0.2.1 SIP/2.0\nCall-ID: n\nCSeq: 2 NOTIFY\nContent-Type: message/sipfrag\n"
             "Content-Length: " + std::to_string(frag.size()) + "\n\n") + frag;
    const auto found = locate(udp_frame(notify), udp_hint());
    REQUIRE(found.size() == 1);
    CHECK(found[0].length == notify.size());
}

TEST_CASE("a Content-Length past the end of the buffer: the message runs to the end", "[locator]") {
    const std::string truncated = crlf("SIP/2.0 302 Moved\nCall-ID: t\nContent-Length: 500\n\n") + "short";
    const auto found = locate(udp_frame(truncated), udp_hint());
    REQUIRE(found.size() == 1);
    CHECK(found[0].length == truncated.size());
}

TEST_CASE("an unmasked WebSocket frame carries the message right after its header", "[locator]") {
    TransportHint tcp;
    tcp.kind = TransportHint::Kind::tcp;
    tcp.src_port = 8080;  // the TCP header check fails: the WebSocket header is in between
    tcp.dst_port = 1;
    tcp.whole_frame = true;
    const std::string brief = crlf("SIP/2.0 200 OK\nCall-ID: w\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n");
    REQUIRE(brief.size() < 126);
    const std::string small = kLink + std::string(20, '\x01') + "\x81" + static_cast<char>(brief.size()) + brief;
    const auto found = locate(small, tcp);
    REQUIRE(found.size() == 1);
    CHECK(found[0].length == brief.size());
    const std::string big_payload = k302 + std::string(200, 'x');
    const std::string big = kLink + "\x81\x7e" + be16(static_cast<unsigned>(big_payload.size())) + big_payload;
    REQUIRE(locate(big, tcp).size() == 1);
}

namespace {

// An SCTP DATA chunk (RFC 9260 3.3.1): type 0, flags (B and E: a whole user
// message), length of header and payload, TSN, stream, sequence, payload
// protocol id; padded to four bytes.
std::string data_chunk(const std::string& payload, unsigned flags = 0x03) {
    std::string chunk = std::string(1, '\0') + static_cast<char>(flags) +
                        be16(16 + static_cast<unsigned>(payload.size())) + std::string(12, '\x01') + payload;
    return chunk + std::string((4 - chunk.size() % 4) % 4, '\0');
}

// an SCTP common header (ports, verification tag, checksum) and its chunks
std::string sctp_frame(const std::string& chunks) { return kLink + be16(5060) + be16(5060) + std::string(8, '\x01') + chunks; }

TransportHint sctp_hint() {
    TransportHint h;
    h.kind = TransportHint::Kind::sctp;
    h.src_port = h.dst_port = 5060;
    h.whole_frame = true;
    return h;
}

}  // namespace

TEST_CASE("an SCTP DATA chunk carries its message right after the chunk header, to the chunk's end", "[locator]") {
    // kInvite's 3 padding bytes (its length is 1 more than a multiple of 4) are not the message's
    const std::string invite = kInvite + "x";
    REQUIRE((16 + invite.size()) % 4 != 0);
    const std::string frame = sctp_frame(data_chunk(invite));
    const auto found = locate(frame, sctp_hint());
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == kLink.size() + 12 + 16);
    CHECK(found[0].length == kInvite.size());  // Content-Length 0: the "x" is past the body
    // no Content-Length: the message ends with its chunk, not at the next one
    const std::string bare = crlf("SIP/2.0 200 OK\nCall-ID: s\nCSeq: 1 OPTIONS\n\n") + "tail";
    const auto two = locate(sctp_frame(data_chunk(bare) + data_chunk(k302)), sctp_hint());
    REQUIRE(two.size() == 2);
    CHECK(two[0].length == bare.size());
    CHECK(two[1].offset == kLink.size() + 12 + data_chunk(bare).size() + 16);
    CHECK(two[1].length == k302.size());
}

TEST_CASE("an SCTP fragment, or a DATA chunk header on another transport, starts no message", "[locator]") {
    // the first fragment (B flag only): the whole message is in the buffer Wireshark reassembles
    CHECK(locate(sctp_frame(data_chunk(k302, 0x02)), sctp_hint()).empty());
    // the same chunk bytes in a UDP datagram are not after its UDP header
    const std::string in_udp = kLink + be16(5060) + be16(5080) + be16(8 + 16 + static_cast<unsigned>(k302.size())) +
                               std::string(2, '\0') + data_chunk(k302);
    CHECK(locate(in_udp, udp_hint()).empty());
    // a chunk whose length runs past the frame is no chunk
    std::string too_long = data_chunk(k302);
    too_long[2] = '\x7f';
    CHECK(locate(sctp_frame(too_long), sctp_hint()).empty());
}

TEST_CASE("the digest tells the messages of a frame apart and is stable", "[locator]") {
    CHECK(message_digest(kOk) == message_digest(std::string(kOk)));
    CHECK(message_digest(kOk) != message_digest(k302));
    std::string other = k302;
    other[other.size() - 30] = 'X';  // same length, differs only in its tail
    CHECK(message_digest(other) != message_digest(k302));
}

TEST_CASE("copies of a message in one frame get indices of their own, the same in any order", "[locator]") {
    // digests of a frame holding A, B, A, A: the copies of A are A, A+1, A+2
    const std::uint32_t a = 1000, b = 7;
    const std::uint32_t frame[] = {a, b, a, a};
    CHECK(index_in_frame(frame, 0) == a);
    CHECK(index_in_frame(frame, 1) == b);
    CHECK(index_in_frame(frame, 2) == a + 1);
    CHECK(index_in_frame(frame, 3) == a + 2);
    // found in another order (B first), B keeps its index and the copies of
    // A take the same three
    const std::uint32_t reordered[] = {b, a, a, a};
    CHECK(index_in_frame(reordered, 0) == b);
    CHECK(index_in_frame(reordered, 1) == a);
    CHECK(index_in_frame(reordered, 2) == a + 1);
    CHECK(index_in_frame(reordered, 3) == a + 2);
}

TEST_CASE("every byte of a message's first 128 and last 32 counts in its digest", "[locator]") {
    for (const std::size_t size : {std::size_t{15}, std::size_t{16}, std::size_t{40}, std::size_t{128},
                                   std::size_t{137}, std::size_t{150}, std::size_t{300}}) {
        std::string m;
        for (std::size_t i = 0; i < size; ++i) m += static_cast<char>('a' + i % 26);
        const std::uint32_t original = message_digest(m);
        for (std::size_t at = 0; at < size; ++at) {
            if (at >= 128 && at < size - 32) continue;  // the middle of a long message is not read
            std::string changed = m;
            changed[at] = '#';
            if (message_digest(changed) == original) FAIL("byte " << at << " of " << size << " ignored");
        }
        CHECK(message_digest(m + "x") != original);  // the length counts too
    }
}

TEST_CASE("only a Content-Length header (any case, compact l, space before the colon) sets the body", "[locator]") {
    // each message is followed by a second one; where the second starts
    // shows which line the locator took for the body length
    const auto second_offset = [](const std::string& first) {
        const std::string buffer = first + k302;
        const auto found = locate(buffer, udp_hint(false));
        return found.size() == 2 ? found[1].offset : 0u;
    };
    // headers that look like it but are not: the body runs to the end of
    // the buffer, so no second message is found
    for (const char* lookalike : {"Lines: 2", "Content-Lengthy: 2", "Content-Length-X: 2", "lr: 2", "Contact: 2"}) {
        const std::string m = crlf(std::string("SIP/2.0 200 OK\nCall-ID: q\n") + lookalike + "\n\n") + "ab";
        INFO(lookalike);
        CHECK(second_offset(m) == 0);
    }
    for (const char* header : {"Content-Length: 2", "content-length: 2", "CONTENT-LENGTH:2", "Content-Length \t: 2", "l: 2",
                               "L :2"}) {
        const std::string m = crlf(std::string("SIP/2.0 200 OK\nCall-ID: q\n") + header + "\n\n") + "ab";
        INFO(header);
        CHECK(second_offset(m) == m.size());
    }
    // the first Content-Length counts; an unreadable one means "to the end"
    const std::string two = crlf("SIP/2.0 200 OK\nContent-Length: 2\nContent-Length: 9\n\n") + "ab";
    CHECK(second_offset(two) == two.size());
    const std::string unreadable = crlf("SIP/2.0 200 OK\nContent-Length: two\n\n") + "ab";
    CHECK(second_offset(unreadable) == 0);
}

TEST_CASE("link-layer bytes that spell part of the version do not hide the start line", "[locator]") {
    // 'S' bytes and a near miss "SIP/2.1" in the binary headers before the message
    const std::string link = std::string(6, 'S') + "SIP/2.1" + "SIP/2." + std::string(15, '\x45');
    const std::string frame = link + datagram(k302);
    const auto found = locate(frame, udp_hint());
    REQUIRE(found.size() == 1);
    CHECK(found[0].offset == link.size() + 8);
    CHECK(found[0].length == k302.size());
}

TEST_CASE("the SIP dissector's Continuation (the rest of a message) begins with no start line", "[locator]") {
    SECTION("positive: a status line, a request line (leniently: any method, any URI), CRLF or LF") {
        CHECK(begins_with_start_line(kOk));
        CHECK(begins_with_start_line("SIP/2.0 200 OK"));
        CHECK(begins_with_start_line("INVITE sip:bob@example.com SIP/2.0\r\nVia: x\r\n"));
        CHECK(begins_with_start_line("FOO  <odd uri> SIP/2.0\nVia: x\n"));
    }
    SECTION("negative: a header's tail, a body, a line that only mentions the version") {
        CHECK_FALSE(begins_with_start_line("ce <sip:service@192.0.2.140:5060>;tag=23184SIPpTag0134\r\nCall-ID: 7\r\n"));
        CHECK_FALSE(begins_with_start_line("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n"));
        CHECK_FALSE(begins_with_start_line("Via: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK1\r\n"));
        CHECK_FALSE(begins_with_start_line("INVITE sip:bob@example.comSIP/2.0\r\n"));
        CHECK_FALSE(begins_with_start_line(""));
        CHECK_FALSE(begins_with_start_line("SIP/2.0"));  // (a status line has more than the version)
    }
}

namespace {

// A NOTIFY whose body is a message/sipfrag (RFC 3420) status line, as a
// transferee reports a REFER's outcome (RFC 3515 2.4.5)
const std::string kFrag = crlf("SIP/2.0 200 OK\n");
const std::string kNotify =
    crlf("NOTIFY sip:alice@192.0.2.1 SIP/2.0\nCall-ID: n\nCSeq: 2 NOTIFY\nContent-Type: message/sipfrag\n"
         "Content-Length: 16\n\n") + kFrag;

}  // namespace

TEST_CASE("a segment beginning inside a message: its first message begins past that rest", "[locator]") {
    REQUIRE(kFrag.size() == 16);
    SECTION("positive: past the rest's blank line and the body its own Content-Length line gives") {
        // the NOTIFY's last 60 bytes (its last header lines and the
        // sipfrag), then a 302: the 302 begins after the 16 body bytes
        const std::string rest = kNotify.substr(kNotify.size() - 60);
        CHECK(first_message_in_segment(rest + k302) == 60);
        // a rest that is all the body there is: nothing follows it
        CHECK(first_message_in_segment(rest) == 60);
        // Content-Length 0 and the compact form
        const std::string bye_rest = crlf("CSeq: 3 BYE\nl: 0\n\n");
        CHECK(first_message_in_segment(bye_rest + kInvite) == bye_rest.size());
        // keep-alive line ends before a message are no rest (RFC 5626 3.5.1)
        CHECK(first_message_in_segment("\r\n\r\n" + kInvite) == 4);
        CHECK(first_message_in_segment(kInvite) == 0);
        // a line end the segment begins with ends the line before it
        CHECK(first_message_in_segment(crlf("\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n") + k302) ==
              crlf("\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n").size());
    }
    SECTION("negative: where the rest ends cannot be told from the segment") {
        // its Content-Length was in the earlier part
        const std::string tail = crlf("Content-Type: message/sipfrag\n\n") + kFrag;
        CHECK(first_message_in_segment(tail + k302) == std::string::npos);
        // no blank line: a body (an SDP's last lines), or a header section that goes on
        CHECK(first_message_in_segment(crlf("a=sendrecv\n") + k302.substr(0, 30)) == std::string::npos);
        CHECK(first_message_in_segment("a=rtpmap:0 PCMU/8000") == std::string::npos);
        // a body running past the segment, a Content-Length that is no number
        CHECK(first_message_in_segment(crlf("Content-Length: 200\n\n") + kFrag) == std::string::npos);
        CHECK(first_message_in_segment(crlf("Content-Length: many\n\n") + k302) == std::string::npos);
        CHECK(first_message_in_segment("") == std::string::npos);
        CHECK(first_message_in_segment("\r\n") == std::string::npos);
    }
}

TEST_CASE("locating from a place skips the bytes before it, and a message may start right there", "[locator]") {
    // a segment: the NOTIFY's last 60 bytes, then a 302
    const std::string rest = kNotify.substr(kNotify.size() - 60);
    const std::string frame = tcp_frame(rest + k302);
    const std::size_t payload = frame.size() - rest.size() - k302.size();
    SECTION("positive: from the rest's end, the 302 alone") {
        LocatedMessage out[8];
        const std::size_t n = locate_messages(frame, tcp_hint(), out, 8, payload + 60);
        REQUIRE(n == 1);
        CHECK(out[0].offset == payload + 60);
        CHECK(out[0].length == k302.size());
        CHECK_FALSE(out[0].goes_on);
        // from past the end: nothing
        CHECK(locate_messages(frame, tcp_hint(), out, 8, frame.size()) == 0);
    }
    SECTION("negative: from the segment's start, the sipfrag reads as a message swallowing the 302") {
        // (what sipresp did before it looked for the rest's end)
        const auto found = locate(frame, tcp_hint());
        REQUIRE(found.size() == 1);
        CHECK(found[0].offset == payload + 44);
        CHECK(found[0].length == 16 + k302.size());
    }
}
