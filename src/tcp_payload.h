// Where a TCP segment's payload starts in its frame, and the sequence number
// of its first byte (RFC 9293 3.1), read from the frame's own IP and TCP
// headers. A message's place in its TCP stream is that number plus its
// offset from the payload's start: two copies at the same place of one
// connection are one segment TCP sent again (its retransmission timer, a
// tail loss probe), not a message the SIP sender sent twice, which it
// writes further on in the stream (RFC 3261 17.2.1, 13.3.1.4). TCP's resend
// often starts mid-message (it resends what was not acknowledged, cut at
// its own segment size), so the number comes from the header, not from the
// first message found.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "message_locator.h"

namespace sipresp {

struct TcpPayload {
    std::size_t offset = 0;  // in the frame
    std::uint32_t seq = 0;   // of the payload's first byte
};

// The payload of the TCP segment in `frame` (captured bytes from the link
// layer on) whose ports are those of `hint` (a whole frame, over TCP), when
// an IPv4 header (not a fragment) or an IPv6 header (after any Hop-by-Hop,
// Routing or Destination Options headers) for TCP begins in its first 128
// bytes, followed by that TCP header; nothing otherwise.
std::optional<TcpPayload> tcp_payload(std::string_view frame, const TransportHint& hint) noexcept;

// The place in its stream of a message at `offset` in the frame: the
// payload's number plus the distance (modulo 2^32); nothing before the
// payload.
inline std::optional<std::uint32_t> tcp_seq_at(const std::optional<TcpPayload>& payload, std::size_t offset) noexcept {
    if (!payload || offset < payload->offset) return std::nullopt;
    return static_cast<std::uint32_t>(payload->seq + (offset - payload->offset));
}

// Whether the message at `at` of a TCP segment's payload `payload` (its
// `length` bytes) is the message at `in_buffer` of `reassembled`, a buffer
// Wireshark reassembled from segments ending with this one: the buffer then
// ends with this payload's first bytes, up to at least the message's end.
// Wireshark puts the whole segment into such a buffer when SIP asked it for
// one more segment, so a segment holding the rest of one message and all
// of the next shows the next one twice: in the buffer and in the frame.
inline bool same_reassembled_message(std::string_view payload, std::size_t at, std::string_view reassembled,
                                     std::size_t in_buffer, std::size_t length) noexcept {
    if (in_buffer < at || in_buffer > reassembled.size()) return false;
    const std::size_t start = in_buffer - at;  // where the payload begins in the buffer
    const std::size_t shared = reassembled.size() - start;
    if (shared < at + length || shared > payload.size()) return false;
    return reassembled.substr(start) == payload.substr(0, shared);
}

}  // namespace sipresp
