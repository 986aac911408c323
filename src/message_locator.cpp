// Finding SIP messages by their start lines (see message_locator.h).
#include "message_locator.h"

#include <cstring>

#include "byte_scan.h"
#include "chars.h"
#include "first_fragment.h"
#include "network_order.h"

namespace sipresp {
namespace {

constexpr std::string_view kVersion = "SIP/2.0";
constexpr std::size_t kMaxMethod = 32;

// Where "SIP/2.0" next occurs at or after `from`, or npos. Frames are a few
// hundred bytes: an inline scan for the 'S' and a compare beat memmem's
// set-up, and link-layer bytes equal to 'S' are rare.
std::size_t find_version(std::string_view b, std::size_t from) {
    while (from + kVersion.size() <= b.size()) {
        const std::size_t s = find_first_of_bytes(b, from, 'S');
        if (s + kVersion.size() > b.size()) return std::string_view::npos;
        if (b.compare(s, kVersion.size(), kVersion) == 0) return s;
        from = s + 1;
    }
    return std::string_view::npos;
}

// When `at` is right after a UDP header of this datagram (RFC 768: ports as
// the dissector saw them, a length that fits the buffer), where the datagram
// ends; npos otherwise. The length may run past the end of a frame the
// capture cut short, or of the first IP fragment of a datagram Wireshark
// did not reassemble (`in_fragments`); the datagram then ends with the
// buffer.
std::size_t datagram_end(std::string_view b, std::size_t at, const TransportHint& h, bool& in_fragments) {
    in_fragments = false;
    if (h.kind != TransportHint::Kind::udp || at < 8) return std::string_view::npos;
    const std::size_t header = at - 8;
    const std::uint16_t length = be16(b, header + 4);
    if (be16(b, header) != h.src_port || be16(b, header + 2) != h.dst_port || length < 8) return std::string_view::npos;
    if (header + length <= b.size()) return header + length;
    if (h.cut_short) return b.size();
    in_fragments = h.whole_frame && udp_header_in_first_fragment(b, header);
    return in_fragments ? b.size() : std::string_view::npos;
}

std::size_t datagram_end(std::string_view b, std::size_t at, const TransportHint& h) {
    bool in_fragments;
    return datagram_end(b, at, h, in_fragments);
}

bool after_udp_header(std::string_view b, std::size_t at, const TransportHint& h) {
    return datagram_end(b, at, h) != std::string_view::npos;
}

// Right after a TCP header of this segment (RFC 9293): ports and a data
// offset that ends exactly here.
bool after_tcp_header(std::string_view b, std::size_t at, const TransportHint& h) {
    if (h.kind != TransportHint::Kind::tcp) return false;
    for (std::size_t length = 20; length <= 60 && length <= at; length += 4) {
        const std::size_t header = at - length;
        if (be16(b, header) == h.src_port && be16(b, header + 2) == h.dst_port &&
            (static_cast<unsigned char>(b[header + 12]) >> 4) * 4u == length)
            return true;
    }
    return false;
}

// When `at` is right after the header of an SCTP DATA chunk (RFC 9260
// 3.3.1: type 0, then flags, length, TSN, stream id and sequence, payload
// protocol id, 16 bytes in all) that holds a whole user message, where the
// chunk's payload ends (its length leaves out the padding); npos otherwise.
// A fragment (B and E flags not both set) is left to the buffer Wireshark
// reassembles from the fragments, where the message starts at 0.
std::size_t data_chunk_end(std::string_view b, std::size_t at, const TransportHint& h) {
    constexpr std::size_t kHeader = 16;
    if (h.kind != TransportHint::Kind::sctp || at < kHeader) return std::string_view::npos;
    const std::size_t chunk = at - kHeader;
    const std::uint16_t length = be16(b, chunk + 2);
    if (b[chunk] != 0 || (static_cast<unsigned char>(b[chunk + 1]) & 0x03) != 0x03 || length <= kHeader ||
        chunk + length > b.size())
        return std::string_view::npos;
    return chunk + length;
}

// Right after an unmasked WebSocket frame header (RFC 6455 5.2) whose
// payload runs from here to the end of the buffer.
bool after_websocket_header(std::string_view b, std::size_t at) {
    const std::size_t payload = b.size() - at;
    const auto is_data_frame = [&](std::size_t header) {
        const unsigned op = static_cast<unsigned char>(b[header]) & 0x0f;
        return op == 1 || op == 2;
    };
    if (at >= 2 && is_data_frame(at - 2) && (static_cast<unsigned char>(b[at - 1]) & 0x80) == 0 &&
        (static_cast<unsigned char>(b[at - 1]) & 0x7f) == payload && payload < 126)
        return true;
    return at >= 4 && is_data_frame(at - 4) && static_cast<unsigned char>(b[at - 3]) == 126 &&
           be16(b, at - 2) == payload;
}

// `previous_end`: where the last message found in this buffer ended (npos
// when none); the next one may start right there, even after a body that
// does not end in a line break.
bool message_may_start(std::string_view b, std::size_t at, const TransportHint& h, std::size_t previous_end) {
    if (at == previous_end) return true;
    if (at == 0) return !h.whole_frame;
    if (b[at - 1] == '\n') return true;  // after the previous message (or a keep-alive CRLF)
    return after_udp_header(b, at, h) || after_tcp_header(b, at, h) || after_websocket_header(b, at) ||
           data_chunk_end(b, at, h) != std::string_view::npos;
}

// The value of a Content-Length header (or its compact form l, 20.14) on
// the line [line, text_end), npos when the line is another header, or
// kUnreadable when it is one but holds no number. Lines are told apart by
// their first byte and length before any comparing: most lines are not it.
constexpr std::size_t kUnreadable = std::string_view::npos - 1;

std::size_t content_length_on(const char* data, std::size_t line, std::size_t text_end) {
    constexpr std::string_view kName = "content-length";
    const char c = static_cast<char>(data[line] | 0x20);
    std::size_t i;
    if (c == 'l') {
        i = line + 1;
    } else if (c == 'c' && text_end - line > kName.size() && iequals({data + line, kName.size()}, kName)) {
        i = line + kName.size();
    } else {
        return std::string_view::npos;
    }
    while (i < text_end && is_wsp(data[i])) ++i;
    if (i >= text_end || data[i] != ':') return std::string_view::npos;  // e.g. "Lines: 2", "Content-Lengthy"
    ++i;
    while (i < text_end && is_wsp(data[i])) ++i;
    std::size_t value = 0, digits = 0;
    while (i < text_end && is_digit(data[i]) && digits < 10) value = value * 10 + static_cast<std::size_t>(data[i++] - '0'), ++digits;
    return digits == 0 ? kUnreadable : value;
}

// Whether `b` holds a CR that ends a line by itself (not before an LF, nor
// the last byte, whose LF may be next): the SIP dissector takes such a CR
// for a line end where sipresp does not, so the two would not agree on
// where its header section ends.
bool has_bare_cr(std::string_view b) {
    for (std::size_t i = b.find('\r'); i != std::string_view::npos && i + 1 < b.size(); i = b.find('\r', i + 1))
        if (b[i + 1] != '\n') return true;
    return false;
}

// The end of the message starting at `start`: after its body of
// Content-Length bytes, else (no header, unreadable, or past the buffer)
// the end of the buffer, which is where a datagram's message ends (18.3).
// `goes_on`: the header section or the body runs past the buffer.
// One pass over the header lines.
std::size_t message_end(std::string_view b, std::size_t start, bool& goes_on) {
    goes_on = false;
    std::size_t content_length = std::string_view::npos;
    const char* const data = b.data();
    std::size_t line = start;
    for (bool first = true;; first = false) {
        const std::size_t eol = find_first_of_bytes(b, line, '\n');
        if (eol == b.size()) {
            // (no closing blank line yet)
            goes_on = !has_bare_cr(b.substr(start));
            return b.size();
        }
        const std::size_t text_end = eol > line && data[eol - 1] == '\r' ? eol - 1 : eol;
        if (text_end == line) {  // the empty line: the body follows
            const std::size_t body = eol + 1;
            if (content_length == std::string_view::npos) return b.size();
            if (content_length <= b.size() - body) return body + content_length;
            goes_on = !has_bare_cr(b.substr(start, body - start));
            return b.size();
        }
        // the start line is no header; folded lines start with whitespace
        if (!first && content_length == std::string_view::npos) {
            content_length = content_length_on(data, line, text_end);
            if (content_length == kUnreadable) return b.size();
        }
        line = eol + 1;
    }
}

// Whether the "SIP/2.0" at `version` begins a status line: SP, a
// three-digit code, SP (RFC 3261 7.2).
bool status_line_at(std::string_view b, std::size_t version) {
    const std::size_t code = version + kVersion.size() + 1;
    return code + 4 <= b.size() && b[code - 1] == ' ' && is_digit(b[code]) && is_digit(b[code + 1]) &&
           is_digit(b[code + 2]) && b[code + 3] == ' ';
}

// The start of the request line whose "SIP/2.0" is at `version`, or npos.
std::size_t request_line_start(std::string_view b, std::size_t version, const TransportHint& h,
                               std::size_t previous_end) {
    if (version < 4 || b[version - 1] != ' ') return std::string_view::npos;
    const std::size_t after = version + kVersion.size();
    if (after >= b.size() || (b[after] != '\r' && b[after] != '\n')) return std::string_view::npos;
    // Request-URI: no spaces; then SP; then the method token
    std::size_t i = version - 1;
    while (i > 0 && b[i - 1] != ' ' && b[i - 1] != '\n' && b[i - 1] != '\r') --i;
    if (i == version - 1 || i < 2 || b[i - 1] != ' ') return std::string_view::npos;
    const std::size_t method_end = i - 1;
    std::size_t leftmost = method_end;
    while (leftmost > 0 && method_end - leftmost < kMaxMethod && is_token_char(b[leftmost - 1])) --leftmost;
    // The transport header before the method may end in bytes that look
    // like token characters: take the longest method that starts where a
    // message can.
    for (std::size_t k = leftmost; k < method_end; ++k)
        if (message_may_start(b, k, h, previous_end)) return k;
    return std::string_view::npos;
}

// Whether a start line the loop below would take begins at `at`: a status
// line ("SIP/2.0" SP 3DIGIT SP), or a request line (a method of at most
// kMaxMethod token characters, SP, a Request-URI without SP, CR or LF, SP,
// "SIP/2.0", then the line's end).
bool start_line_at(std::string_view b, std::size_t at) {
    if (b.compare(at, kVersion.size(), kVersion) == 0) return status_line_at(b, at);
    const std::size_t method_end = skip_token(b, at);
    if (method_end == at || method_end - at > kMaxMethod || method_end == b.size() || b[method_end] != ' ')
        return false;
    const std::size_t uri_end = find_first_of_bytes(b, method_end + 1, ' ', '\r', '\n');
    if (uri_end == method_end + 1 || uri_end == b.size() || b[uri_end] != ' ') return false;
    const std::size_t after = uri_end + 1 + kVersion.size();
    return after < b.size() && b.compare(uri_end + 1, kVersion.size(), kVersion) == 0 &&
           (b[after] == '\r' || b[after] == '\n');
}

// The start of the message a whole frame's UDP datagram carries, found
// from the datagram's header: the first place this datagram's ports and a
// length that fits are written and a start line follows; npos when there
// is none, else `end` is where the datagram ends. Most SIP travels this
// way, and a datagram's message is its payload (18.3): two short scans,
// where the loop below searches the frame for "SIP/2.0" and walks back
// over the Request-URI to the method (a third of what finding a message
// cost).
std::size_t udp_payload_start(std::string_view b, const TransportHint& h, std::size_t& end, bool& in_fragments) {
    const char port_high = static_cast<char>(h.src_port >> 8);
    for (std::size_t at = 0; at + 8 <= b.size(); ++at) {
        at = find_first_of_bytes(b, at, port_high);
        if (at + 8 > b.size()) return std::string_view::npos;
        const std::size_t payload = at + 8;
        end = datagram_end(b, payload, h, in_fragments);
        if (end != std::string_view::npos && payload < b.size() && start_line_at(b, payload)) return payload;
    }
    return std::string_view::npos;
}

}  // namespace

std::size_t locate_messages(std::string_view b, const TransportHint& h, LocatedMessage* out, std::size_t max,
                            std::size_t from) noexcept {
    std::size_t count = 0;
    std::size_t pos = from;
    std::size_t previous_end = from == 0 ? std::string_view::npos : from;
    if (from == 0 && h.kind == TransportHint::Kind::udp && h.whole_frame && max != 0) {
        std::size_t end = 0;
        bool in_fragments = false;
        const std::size_t start = udp_payload_start(b, h, end, in_fragments);
        if (start != std::string_view::npos && end <= UINT32_MAX && end > start) {
            out[count++] = {static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end - start), in_fragments,
                            false};
            pos = previous_end = end;
        }
    }
    while (count < max && pos < b.size()) {
        const std::size_t version = find_version(b, pos);
        if (version == std::string_view::npos) break;
        std::size_t start = std::string_view::npos;
        if (status_line_at(b, version) && message_may_start(b, version, h, previous_end))
            start = version;
        else
            start = request_line_start(b, version, h, previous_end);
        if (start == std::string_view::npos || start < pos) {
            pos = version + kVersion.size();
            continue;
        }
        // A datagram carries one message, and bytes past its body are
        // dropped, not read as another (RFC 3261 18.3): the message is the
        // datagram, with no need to read its header lines for the length.
        // A DATA chunk's message ends with its body, or with the chunk.
        bool in_fragments = false;
        bool goes_on = false;
        std::size_t end = datagram_end(b, start, h, in_fragments);
        if (end == std::string_view::npos) {
            const std::size_t chunk = data_chunk_end(b, start, h);
            end = chunk != std::string_view::npos ? message_end(b.substr(0, chunk), start, goes_on)
                                                  : message_end(b, start, goes_on);
        }
        if (end > UINT32_MAX || end <= start) break;
        out[count++] = {static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end - start), in_fragments,
                        goes_on};
        pos = previous_end = end;
    }
    return count;
}

std::uint32_t message_digest(std::string_view m) noexcept {
    // The start line and first headers (128 bytes) and the last 32 bytes:
    // enough to tell the messages of one frame apart. Sixteen bytes per
    // multiply where the compiler has a 64x64->128 product; the second
    // word is offset by a constant whose bytes are not ASCII, so for text
    // the product is never zero (which would forget the first word).
    std::uint64_t h = 0x9e3779b97f4a7c15ull ^ m.size();
    const auto word_at = [&m](std::size_t at) {
        std::uint64_t w;
        std::memcpy(&w, m.data() + at, sizeof w);
        return w;
    };
    const auto mix16 = [&](std::size_t at) {
#if defined(__SIZEOF_INT128__)
        const unsigned __int128 p = static_cast<unsigned __int128>(word_at(at) ^ h ^ 0xa0761d6478bd642full) *
                                    (word_at(at + 8) ^ 0xe7037ed1a0b428dbull);
        h = static_cast<std::uint64_t>(p) ^ static_cast<std::uint64_t>(p >> 64);
#else
        for (std::size_t k = at; k < at + 16; k += 8) {
            h = (h ^ word_at(k)) * 0xff51afd7ed558ccdull;
            h ^= h >> 32;
        }
#endif
    };
    if (m.size() < 16) {
        for (const char c : m) {
            h = (h ^ static_cast<unsigned char>(c)) * 0xff51afd7ed558ccdull;
            h ^= h >> 32;
        }
        return static_cast<std::uint32_t>(h ^ (h >> 32));
    }
    // a region of at least 16 bytes in 16-byte steps, the last one
    // overlapping the one before when the length is not a multiple of 16
    const auto region = [&](std::size_t from, std::size_t to) {
        std::size_t at = from;
        for (; at + 16 <= to; at += 16) mix16(at);
        if (at < to) mix16(to - 16);
    };
    const std::size_t head_end = m.size() < 128 ? m.size() : 128;
    region(0, head_end);
    if (head_end < m.size()) {
        const std::size_t tail = m.size() - head_end < 32 ? head_end : m.size() - 32;
        region(m.size() - tail >= 16 ? tail : m.size() - 16, m.size());
    }
    return static_cast<std::uint32_t>(h ^ (h >> 32));
}

std::size_t first_message_in_segment(std::string_view segment) noexcept {
    constexpr std::size_t npos = std::string_view::npos;
    std::size_t at = 0;
    while (at < segment.size() && (segment[at] == '\r' || segment[at] == '\n')) ++at;
    if (at == segment.size()) return npos;
    if (begins_with_start_line(segment.substr(at))) return at;
    // the rest of a message: its lines up to the blank one that ends its
    // header section, then its body
    const char* const data = segment.data();
    std::size_t content_length = npos;
    for (std::size_t line = 0;;) {
        const std::size_t eol = find_first_of_bytes(segment, line, '\n');
        if (eol == segment.size()) return npos;  // the rest runs on past the segment
        const std::size_t text_end = eol > line && data[eol - 1] == '\r' ? eol - 1 : eol;
        if (text_end == line) {
            // (a line break the segment begins with may end the line before it)
            if (line == 0) {
                line = eol + 1;
                continue;
            }
            if (content_length == npos) return npos;
            const std::size_t body = eol + 1;
            return content_length <= segment.size() - body ? body + content_length : npos;
        }
        const std::size_t value = content_length_on(data, line, text_end);
        if (value == kUnreadable) return npos;
        if (value != npos) content_length = value;
        line = eol + 1;
    }
}

bool begins_with_start_line(std::string_view bytes) noexcept {
    if (bytes.size() > kVersion.size() && bytes.starts_with(kVersion) && bytes[kVersion.size()] == ' ') return true;
    const std::string_view line = bytes.substr(0, find_first_of_bytes(bytes, 0, '\r', '\n'));
    return line.size() > kVersion.size() && line.ends_with(kVersion) && line[line.size() - kVersion.size() - 1] == ' ';
}

}  // namespace sipresp
