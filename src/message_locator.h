// Where the SIP messages are in a buffer that Wireshark's SIP dissector has
// decoded, found without the SIP dissector's tree. Asking Wireshark for the
// SIP tree makes tshark build it for every frame, which costs more than
// everything sipresp does (issue 6); the bytes themselves are cheap to scan.
//
// A message starts at a start line (RFC 3261 7.1, 7.2):
//   SIP/2.0 302 Moved Temporarily      (status line: "SIP/2.0" SP 3DIGIT SP)
//   INVITE sip:bob@example.com SIP/2.0 (request line: token SP URI SP "SIP/2.0" CRLF)
// and only where one can begin: at the start of a reassembled or decrypted
// buffer, after the previous message's last line, or right after the UDP,
// TCP or WebSocket header, or the SCTP DATA chunk header, that carried it.
// A message right after a UDP header is the whole datagram (18.3: one
// message per datagram; bytes past its body are dropped); any other runs to
// the end of its body (Content-Length) or of the buffer, or of its DATA
// chunk (other chunks may follow in the same SCTP packet).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sipresp {

struct TransportHint {
    enum class Kind : std::uint8_t { other, udp, tcp, sctp } kind = Kind::other;
    std::uint16_t src_port = 0;   // of the innermost UDP/TCP/SCTP (pinfo's ports)
    std::uint16_t dst_port = 0;
    // The buffer is the captured frame (starting at the link layer), not a
    // reassembled, decrypted or unmasked one that starts with the payload.
    bool whole_frame = false;
    // The buffer ends where the capture stopped keeping the frame (its
    // snapshot length): a UDP datagram may then run past it, and its
    // message is what was kept.
    bool cut_short = false;
};

// No default values: the plugin keeps an array of 64 on the stack for every
// frame, and only the entries locate_messages fills are read.
struct LocatedMessage {
    std::uint32_t offset;
    std::uint32_t length;
    // The frame holds the first IP fragment of the message's UDP datagram,
    // which Wireshark did not reassemble (its IP reassembly is off): the
    // message is cut where the frame ends, as by a snapshot length.
    bool in_fragments;
    // The message's own framing runs past the buffer's end: its header
    // section has no closing blank line there, or its body is shorter than
    // its Content-Length. Over TCP that is a message whose rest comes in a
    // later segment (RFC 3261 18.3: a stream is framed by Content-Length),
    // not a broken one. Never set for a UDP datagram's message, nor for one
    // with a line ended by a lone CR, which the SIP dissector ends its
    // lines at too: it may read a header section sipresp does not.
    bool goes_on;
};

// Finds up to `max` messages in `buffer`, in buffer order; returns how many.
// `from`: where to begin, a place a message may start at (the first byte
// of a TCP segment's that no earlier message goes on into:
// first_message_in_segment); the bytes before it are not searched.
std::size_t locate_messages(std::string_view buffer, const TransportHint& hint, LocatedMessage* out,
                            std::size_t max, std::size_t from = 0) noexcept;

// Where the first message of a TCP segment's payload `segment` begins, when
// it may begin with the rest of a message begun in an earlier segment (or
// before the capture began) that no reassembled buffer holds: the SIP
// dissector shows that rest as "Continuation". The rest's body may hold
// lines that read as start lines (a NOTIFY's message/sipfrag body is
// "SIP/2.0 200 OK", RFC 3420), so messages are searched for only past its
// end: its header section's blank line and then the Content-Length bytes
// that a header line of the rest gives. npos when that end is not in the
// segment or cannot be told (the rest holds no blank line, or its
// Content-Length was in the earlier part). CR and LF bytes the segment
// begins with are keep-alives (RFC 5626 3.5.1), not a rest: 0 past them
// when a start line follows.
std::size_t first_message_in_segment(std::string_view segment) noexcept;

// Whether `bytes` begin with a line the SIP dissector takes for a start
// line: one that starts with "SIP/2.0" (a status line) or ends with it (a
// request line), read as leniently as that dissector reads them. Bytes that
// do not are the rest of a message begun in an earlier segment, which it
// shows as "Continuation": not a message for sipresp to read.
bool begins_with_start_line(std::string_view bytes) noexcept;

// A 32-bit digest of a message's bytes: tells apart the messages of one
// frame whatever order they are met in.
std::uint32_t message_digest(std::string_view message) noexcept;

// The index that keys the i-th of several messages in one frame, given the
// digests of messages 0..i: its digest, plus one for each earlier
// byte-for-byte copy of it in the frame (a retransmission coalesced into
// one TCP segment). The same on every pass however the messages were
// found, as copies are interchangeable.
inline std::uint32_t index_in_frame(const std::uint32_t* digests, std::size_t i) noexcept {
    std::uint32_t index = digests[i];
    for (std::size_t j = 0; j < i; ++j) index += digests[j] == digests[i];
    return index;
}

}  // namespace sipresp
