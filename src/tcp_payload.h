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

// How many of the first bytes of a TCP segment's payload `payload` a
// buffer Wireshark reassembled in the segment's frame ends with: the
// segment's part of a message begun in earlier segments (to the message's
// end when SIP asked for its body's length; the whole segment when it
// asked for one more, and then the messages after it are in the buffer
// too). The SIP dissector shows those bytes from the buffer alone, so the
// segment's own messages begin past them. 0 when the buffer does not end
// with the payload's first bytes (another buffer: decrypted TLS data, an
// IP datagram). The longest such prefix, in one pass over each.
std::size_t reassembled_overlap(std::string_view payload, std::string_view reassembled) noexcept;

// reassembled_overlap, when it is the part of the payload the buffer
// holds: all of the payload, or a part that a message follows (after any
// keep-alive line ends), as the buffer ends where its message does.
// Keep-alive line ends alone after it do not count: the segment is then
// read as one that begins inside a message, which finds nothing in them. 0 for an overlap of a few bytes that merely equal the
// buffer's last ones (a buffer ending in "S" before a segment opening
// with "SIP/2.0"), which would hide the message the payload begins with.
std::size_t held_by_reassembly(std::string_view payload, std::string_view reassembled) noexcept;

}  // namespace sipresp
