// Start line, header fields and body extent of one SIP message (RFC 3261 7).
#include "message.h"

#include <algorithm>
#include <iterator>

#include "byte_scan.h"
#include "chars.h"

namespace sipresp {
namespace {

// A line ends at CRLF; a bare LF is accepted as many stacks send it.
struct Line {
    std::size_t begin;
    std::size_t end;   // first byte of the line terminator
    std::size_t next;  // first byte after the terminator
    bool terminated;
};

[[gnu::always_inline]] inline Line read_line(std::string_view s, std::size_t pos) {
    // header lines are short: one inline scan beats a memchr call per line
    const std::size_t lf = find_first_of_bytes(s, pos, '\n');
    if (lf == s.size()) return {pos, s.size(), s.size(), false};
    const std::size_t end = (lf > pos && s[lf - 1] == '\r') ? lf - 1 : lf;
    return {pos, end, lf + 1, true};
}

void fail(Message& m, ParseStatus status, const char* what, std::size_t offset) {
    m.status = status;
    m.error = what;
    m.error_offset = static_cast<std::uint32_t>(offset);
}

bool is_sip_version(std::string_view v) {
    // SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT, case-insensitive (25.1);
    // nearly every message says exactly this
    if (v == "SIP/2.0") return true;
    if (!istarts_with(v, "SIP/")) return false;
    v.remove_prefix(4);
    const std::size_t dot = v.find('.');
    return dot != std::string_view::npos && all_digits(v.substr(0, dot)) &&
           all_digits(v.substr(dot + 1));
}

std::string_view next_word(std::string_view line, std::size_t& pos) {
    while (pos < line.size() && line[pos] == ' ') ++pos;
    const std::size_t begin = pos;
    pos = find_first_of_bytes(line, pos, ' ');  // a Request-URI is tens of bytes
    return line.substr(begin, pos - begin);
}

bool read_start_line(std::string_view line, Message& m) {
    std::size_t pos = 0;
    const std::string_view first = next_word(line, pos);
    if (istarts_with(first, "SIP/")) {
        // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
        if (!is_sip_version(first)) return fail(m, ParseStatus::malformed, "bad SIP version in status line", 0), false;
        const std::string_view code = next_word(line, pos);
        if (code.size() != 3 || !all_digits(code) || code[0] == '0')
            return fail(m, ParseStatus::malformed, "status code is not three digits",
                        static_cast<std::size_t>(code.data() - line.data())), false;
        m.status_code = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
        m.reason = trim_lws(line.substr(pos));
        return true;
    }
    // Request-Line = Method SP Request-URI SP SIP-Version
    for (char c : first)
        if (!is_token_char(c)) return fail(m, ParseStatus::malformed, "method is not a token", 0), false;
    if (first.empty()) return fail(m, ParseStatus::malformed, "empty start line", 0), false;
    const std::string_view uri = next_word(line, pos);
    const std::string_view version = next_word(line, pos);
    if (uri.empty() || uri.find(':') == std::string_view::npos)
        return fail(m, ParseStatus::malformed, "Request-URI missing or without scheme", first.size()), false;
    if (!is_sip_version(version) || !trim_lws(line.substr(pos)).empty())
        return fail(m, ParseStatus::malformed, "request line does not end with a SIP version",
                    static_cast<std::size_t>(uri.data() - line.data()) + uri.size()), false;
    m.is_request = true;
    m.method = first;
    m.request_uri = uri;
    m.request_uri_offset = static_cast<std::uint32_t>(uri.data() - line.data());
    return true;
}

bool parse_content_length(std::string_view value, std::size_t& length) {
    if (!all_digits(value) || value.size() > 10) return false;
    length = 0;
    for (char c : value) length = length * 10 + static_cast<std::size_t>(c - '0');
    return true;
}

}  // namespace

const Header* Message::find_unindexed(HeaderId id) const {
    for (const Header& h : headers)
        if (h.id == id) return &h;
    return nullptr;
}

std::size_t Message::count(HeaderId id) const {
    std::size_t n = 0;
    for (const Header& h : headers) n += (h.id == id);
    return n;
}

void parse_message(std::string_view s, Message& m, ReadExtent (*extent)(const Message&), bool cut_by_capture) {
    m.bytes = s;
    m.status = ParseStatus::malformed;
    m.error = nullptr;
    m.error_offset = 0;
    m.is_request = false;
    m.method = m.request_uri = m.reason = m.body = {};
    m.request_uri_offset = 0;
    m.status_code = 0;
    m.start_line_offset = m.start_line_length = 0;
    m.extent = ReadExtent::whole;
    m.headers.clear();
    m.has_content_length = false;
    m.body_cut = false;
    std::fill(std::begin(m.first_of), std::end(m.first_of), std::uint16_t{0});

    if (s.size() > UINT32_MAX) return fail(m, ParseStatus::malformed, "message larger than 4 GiB", 0);

    // Leading CRLFs before a message are keep-alives (7.5): skip them.
    std::size_t pos = 0;
    while (pos < s.size() && (s[pos] == '\r' || s[pos] == '\n')) ++pos;
    if (pos == s.size()) return fail(m, ParseStatus::incomplete, "no start line", pos);

    const Line start = read_line(s, pos);
    if (!start.terminated) return fail(m, ParseStatus::incomplete, "start line is not terminated", start.begin);
    if (!read_start_line(s.substr(start.begin, start.end - start.begin), m)) {
        m.error_offset += static_cast<std::uint32_t>(start.begin);
        return;
    }
    m.request_uri_offset += static_cast<std::uint32_t>(start.begin);
    m.start_line_offset = static_cast<std::uint32_t>(start.begin);
    m.start_line_length = static_cast<std::uint32_t>(start.end - start.begin);
    if (extent) m.extent = extent(m);
    if (m.extent == ReadExtent::start_line) {
        m.status = ParseStatus::complete;
        return;
    }
    // One bit per header id still to be read before stopping: never all
    // clear when the whole message is wanted, so that case takes no branch
    // of its own in the loop.
    constexpr auto bit = [](HeaderId id) { return std::uint32_t{1} << static_cast<unsigned>(id); };
    std::uint32_t keys_missing = m.extent == ReadExtent::transaction_keys
                                     ? bit(HeaderId::via) | bit(HeaderId::from) | bit(HeaderId::to) |
                                           bit(HeaderId::call_id) | bit(HeaderId::cseq)
                                     : ~std::uint32_t{0};
    static_assert(kHeaderIdCount < 32, "one bit per header id");

    pos = start.next;
    std::size_t content_length = 0;
    for (;;) {
        if (pos >= s.size()) return fail(m, ParseStatus::incomplete, "header section has no closing blank line", pos);
        Line line = read_line(s, pos);
        if (line.end == line.begin) {
            if (!line.terminated) return fail(m, ParseStatus::incomplete, "header section has no closing blank line", pos);
            pos = line.next;
            break;
        }
        if (is_wsp(s[line.begin])) return fail(m, ParseStatus::malformed, "continuation line with no header before it", line.begin);
        // A line that starts with SP or HT continues the one before (7.3.1).
        std::size_t end = line.end;
        while (line.terminated && line.next < s.size() && is_wsp(s[line.next])) {
            line = read_line(s, line.next);
            end = line.end;
        }
        // (at the start of the line cut short, not at its end, which is the
        // message's end and says nothing)
        if (!line.terminated) return fail(m, ParseStatus::incomplete, "header line is not terminated", line.begin);

        // field-name = token, then HCOLON = *(SP / HTAB) ":" (25.1). The
        // colon is found first (scanned in the whole message, not the line,
        // so that short lines take the vector path too); a name the table
        // knows is made of letters and '-' only (header_names.cpp), so only
        // other names are checked byte by byte for token characters.
        const std::string_view field = s.substr(pos, end - pos);
        const std::size_t colon = std::min(find_first_of_bytes(s, pos, ':') - pos, field.size());
        std::size_t name_end = colon;
        while (name_end > 0 && is_wsp(field[name_end - 1])) --name_end;
        const std::string_view name = field.substr(0, name_end);
        const HeaderId id = header_id(name);  // other for an empty name
        if (colon == field.size() || !is_token_char(field[0]) ||
            (id == HeaderId::other && skip_token(s, pos) - pos < name_end)) {
            return fail(m, ParseStatus::malformed,
                        colon == field.size() ? "header line has no colon"
                        : !is_token_char(field[0]) ? "header line has no name"
                                                   : "header name is not a token",
                        pos);
        }

        // filled in place: a Header built aside and copied in was written
        // as 32-bit fields and read back as 16-byte blocks, which stalls
        // store forwarding on every header (seen with perf)
        Header& h = m.headers.emplace_back();
        h.name = name;
        h.value = trim_lws(field.substr(colon + 1));
        h.offset = static_cast<std::uint32_t>(pos);
        h.length = static_cast<std::uint32_t>(end - pos);
        h.value_offset = h.value.empty() ? static_cast<std::uint32_t>(pos + colon + 1)
                                         : static_cast<std::uint32_t>(h.value.data() - s.data());
        h.id = id;
        if (h.id == HeaderId::content_length) {
            std::size_t length = 0;
            if (!parse_content_length(h.value, length)) {
                const std::uint32_t at = h.value_offset;
                m.headers.pop_back();  // only readable headers are listed
                return fail(m, ParseStatus::malformed, "Content-Length is not a number", at);
            }
            // Two that differ leave nobody knowing where the body ends (RFC
            // 4475 3.3.9): the receiver rejects the message, and reading
            // either length could take part of another message for the body.
            if (m.has_content_length && length != content_length)
                return fail(m, ParseStatus::malformed, "two Content-Length values that differ", h.value_offset);
            content_length = length;
            m.has_content_length = true;
        }
        std::uint16_t& first = m.first_of[static_cast<std::size_t>(h.id)];
        if (first == 0 && m.headers.size() <= UINT16_MAX) first = static_cast<std::uint16_t>(m.headers.size());
        keys_missing &= ~bit(h.id);
        if (keys_missing == 0) {
            m.status = ParseStatus::complete;
            return;
        }
        pos = line.next;
    }
    m.extent = ReadExtent::whole;  // (a key was missing: read to the end)

    const std::size_t available = s.size() - pos;
    if (m.has_content_length) {
        if (content_length > available && !cut_by_capture)
            return fail(m, ParseStatus::incomplete, "body is shorter than Content-Length", pos);
        m.body_cut = content_length > available;
        m.body = s.substr(pos, content_length);
    } else {
        m.body = s.substr(pos);
    }
    m.status = ParseStatus::complete;
}

}  // namespace sipresp
