// Reading a TCP segment's place in its stream from its frame (see
// tcp_payload.h).
#include "tcp_payload.h"

#include <algorithm>
#include <memory>
#include <new>

#include "network_order.h"

namespace sipresp {
namespace {

constexpr std::size_t kIpSearched = 128;  // bytes from the frame's start an IP header may begin at
constexpr unsigned kTcp = 6;

unsigned byte_at(std::string_view b, std::size_t at) { return static_cast<unsigned char>(b[at]); }

// Where the TCP header an IP header at `ip` carries starts (RFC 791: a
// header of 5-15 words, protocol 6, no fragment offset and no More
// Fragments; RFC 8200 4.1: extension headers stepped over, at most four),
// or npos. Total and payload lengths are not checked: a capture cut by its
// snapshot length, or taken before segmentation offload, writes them as
// sent or as 0.
std::size_t tcp_header_after_ip(std::string_view b, std::size_t ip) {
    constexpr std::size_t npos = std::string_view::npos;
    if (ip + 20 > b.size()) return npos;
    const unsigned version = byte_at(b, ip) >> 4;
    if (version == 4) {
        const std::size_t header = 4u * (byte_at(b, ip) & 0x0f);
        if (header < 20 || (be16(b, ip + 6) & 0x3fff) != 0 || byte_at(b, ip + 9) != kTcp) return npos;
        return ip + header;
    }
    if (version != 6 || ip + 40 > b.size()) return npos;
    unsigned next = byte_at(b, ip + 6);
    std::size_t at = ip + 40;
    for (int steps = 0; steps < 4 && (next == 0 || next == 43 || next == 60); ++steps) {
        if (at + 2 > b.size()) return npos;
        next = byte_at(b, at);
        at += 8u * (byte_at(b, at + 1) + 1u);
    }
    return next == kTcp ? at : npos;
}

}  // namespace

std::optional<TcpPayload> tcp_payload(std::string_view frame, const TransportHint& hint) noexcept {
    if (hint.kind != TransportHint::Kind::tcp || !hint.whole_frame) return std::nullopt;
    for (std::size_t ip = 0; ip < kIpSearched && ip < frame.size(); ++ip) {
        const std::size_t tcp = tcp_header_after_ip(frame, ip);
        if (tcp == std::string_view::npos || tcp + 20 > frame.size()) continue;
        const std::size_t header = 4u * (byte_at(frame, tcp + 12) >> 4);
        if (be16(frame, tcp) != hint.src_port || be16(frame, tcp + 2) != hint.dst_port || header < 20 ||
            tcp + header > frame.size())
            continue;
        return TcpPayload{tcp + header, be32(frame, tcp + 4)};
    }
    return std::nullopt;
}

std::size_t reassembled_overlap(std::string_view payload, std::string_view reassembled) noexcept {
    if (payload.empty() || reassembled.empty()) return 0;
    if (reassembled.ends_with(payload)) return payload.size();  // (the common case: the whole segment)
    // The longest prefix of the payload (shorter than it) that ends the
    // buffer: Knuth-Morris-Pratt over the buffer's last bytes, the prefix
    // function of the payload's first ones.
    const std::size_t m = std::min(payload.size() - 1, reassembled.size());
    if (m == 0) return 0;
    const std::unique_ptr<std::uint32_t[]> border(new (std::nothrow) std::uint32_t[m]);
    if (!border) return 0;
    border[0] = 0;
    for (std::size_t i = 1, k = 0; i < m; ++i) {
        while (k > 0 && payload[i] != payload[k]) k = border[k - 1];
        if (payload[i] == payload[k]) ++k;
        border[i] = static_cast<std::uint32_t>(k);
    }
    std::size_t matched = 0;
    for (const char c : reassembled.substr(reassembled.size() - m)) {
        while (matched > 0 && (matched == m || c != payload[matched])) matched = border[matched - 1];
        if (c == payload[matched]) ++matched;
    }
    return matched;
}

std::size_t held_by_reassembly(std::string_view payload, std::string_view reassembled) noexcept {
    const std::size_t overlap = reassembled_overlap(payload, reassembled);
    if (overlap == 0 || overlap == payload.size()) return overlap;
    const std::string_view rest = payload.substr(overlap);
    const std::size_t first = first_message_in_segment(rest);
    return first != std::string_view::npos && begins_with_start_line(rest.substr(first)) ? overlap : 0;
}

}  // namespace sipresp
