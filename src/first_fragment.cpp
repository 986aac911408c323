// Finding a SIP message in the first IP fragment of its datagram (see
// first_fragment.h).
#include "first_fragment.h"

#include "key_hash.h"
#include "message.h"
#include "network_order.h"
#include "transaction.h"

namespace sipresp {
namespace {

constexpr std::size_t kIpSearched = 128;  // bytes from the frame's start an IP header may begin at
constexpr unsigned char kUdp = 17;

// A fragment of a UDP datagram whose IP header starts at `ip`.
struct IpFragment {
    std::size_t payload = 0;  // where the fragment's share of the datagram starts
    std::size_t end = 0;      // where it ends
    bool first = false;       // offset 0: the fragment that holds the UDP header
    // what makes its datagram's key (datagram_key), hashed only when asked
    std::string_view version, addresses, identification;
};

// The key of a datagram: its IP version, addresses and identification
// (RFC 791: what fragments of one datagram share; RFC 8200 4.5 the same).
std::uint64_t datagram_key(const IpFragment& fragment) {
    KeyHash h;
    h.add(fragment.version);
    h.add(fragment.addresses);
    h.add(fragment.identification);
    return h.value();
}

// RFC 791: version 4, a header of 5-15 words, a total length the frame
// holds, UDP, and More Fragments set or an offset past 0.
bool ipv4_fragment(std::string_view b, std::size_t ip, IpFragment& out) {
    if (ip + 20 > b.size() || (static_cast<unsigned char>(b[ip]) >> 4) != 4) return false;
    const std::size_t header = 4u * (static_cast<unsigned char>(b[ip]) & 0x0f);
    const std::size_t total = be16(b, ip + 2);
    if (header < 20 || total < header || ip + total > b.size()) return false;
    const std::uint16_t flags_offset = be16(b, ip + 6);
    if ((flags_offset & 0x3fff) == 0 || static_cast<unsigned char>(b[ip + 9]) != kUdp) return false;
    out.payload = ip + header;
    out.end = ip + total;
    out.first = (flags_offset & 0x3fff) == 0x2000;
    out.version = "4";
    out.addresses = b.substr(ip + 12, 8);
    out.identification = b.substr(ip + 4, 2);
    return true;
}

// RFC 8200 4.1, 4.5: the extension headers that may come before a Fragment
// header are stepped over (at most four), then a Fragment header for UDP
// with M set or an offset past 0 (M clear at offset 0 is an atomic fragment,
// a whole datagram: RFC 6946).
bool ipv6_fragment(std::string_view b, std::size_t ip, IpFragment& out) {
    constexpr std::size_t kFixed = 40, kFragment = 8;
    if (ip + kFixed > b.size() || (static_cast<unsigned char>(b[ip]) >> 4) != 6) return false;
    const std::size_t end = ip + kFixed + be16(b, ip + 4);
    if (end > b.size()) return false;
    unsigned next = static_cast<unsigned char>(b[ip + 6]);
    std::size_t at = ip + kFixed;
    for (int steps = 0; steps < 4 && (next == 0 || next == 43 || next == 60); ++steps) {
        if (at + 2 > end) return false;
        next = static_cast<unsigned char>(b[at]);
        at += 8u * (static_cast<unsigned char>(b[at + 1]) + 1u);
    }
    if (next != 44 || at + kFragment > end || static_cast<unsigned char>(b[at]) != kUdp) return false;
    const std::uint16_t offset_more = be16(b, at + 2) & 0xfff9;
    if (offset_more == 0) return false;
    out.payload = at + kFragment;
    out.end = end;
    out.first = offset_more == 1;
    out.version = "6";
    out.addresses = b.substr(ip + 8, 32);
    out.identification = b.substr(at + 4, 4);
    return true;
}

bool ip_fragment_at(std::string_view b, std::size_t ip, IpFragment& out) {
    return ipv4_fragment(b, ip, out) || ipv6_fragment(b, ip, out);
}

// Whether a UDP header at `udp` in a fragment ending at `end` starts a
// datagram the fragment does not hold whole; its payload's length if so.
std::size_t payload_beyond_fragment(std::string_view b, std::size_t udp, std::size_t end) {
    constexpr std::size_t kHeader = 8;
    if (udp + kHeader >= end) return 0;
    const std::size_t length = be16(b, udp + 4);
    return length > end - udp ? length - kHeader : 0;
}

// Whether the bytes read as a SIP message from its start line on; fills
// the summary of `out` from them.
bool read_start(std::string_view bytes, FirstFragmentMessage& out) {
    Message m;
    parse_message(bytes, m, [](const Message&) { return ReadExtent::transaction_keys; }, true);
    if (m.start_line_length == 0 || m.start_line_offset != 0) return false;
    out.start_line = bytes.substr(0, m.start_line_length);
    out.is_request = m.is_request;
    // the version is the last word of a request line, the first of a status line
    out.line = m.is_request ? out.start_line.substr(0, out.start_line.rfind(' '))
                            : out.start_line.substr(out.start_line.find(' ') + 1);
    const CSeq cseq = parse_cseq(m);
    if (cseq.valid) {
        out.cseq_number = cseq.number;
        out.cseq_method = cseq.method;
    }
    return true;
}

}  // namespace

bool find_first_fragment_message(std::string_view frame, FirstFragmentMessage& out) noexcept {
    try {
        for (std::size_t ip = 0; ip < kIpSearched && ip < frame.size(); ++ip) {
            IpFragment fragment;
            if (!ip_fragment_at(frame, ip, fragment)) continue;
            // The frame's IP fragment: whatever it holds, no header past it
            // is tried, so that a crafted frame cannot have a message read
            // more than once.
            const std::size_t udp = fragment.payload, end = fragment.end;
            const std::size_t sent = fragment.first ? payload_beyond_fragment(frame, udp, end) : 0;
            if (sent == 0) return false;
            const std::size_t start = udp + 8;
            FirstFragmentMessage found;
            if (!read_start(frame.substr(start, end - start), found)) return false;
            found.offset = static_cast<std::uint32_t>(start);
            found.length = static_cast<std::uint32_t>(end - start);
            found.sent_length = static_cast<std::uint32_t>(sent);
            found.datagram = datagram_key(fragment);
            out = found;
            return true;
        }
    } catch (...) {
        // only the parser's header list can throw (no memory): nothing found
    }
    return false;
}

bool udp_header_in_first_fragment(std::string_view frame, std::size_t udp) noexcept {
    for (std::size_t ip = 0; ip < kIpSearched && ip < udp; ++ip) {
        IpFragment fragment;
        if (ip_fragment_at(frame, ip, fragment) && fragment.first && fragment.payload == udp && udp + 8 <= fragment.end)
            return true;
    }
    return false;
}

std::uint64_t ip_fragment_datagram(std::string_view frame) noexcept {
    for (std::size_t ip = 0; ip < kIpSearched && ip < frame.size(); ++ip) {
        IpFragment fragment;
        if (ip_fragment_at(frame, ip, fragment)) return datagram_key(fragment);
    }
    return 0;
}

}  // namespace sipresp
