#include "wire_text.h"

namespace sipresp {

namespace {

constexpr bool in(unsigned char c, unsigned char low, unsigned char high) { return c >= low && c <= high; }

constexpr bool is_control(unsigned char c) { return c < 0x20 || c == 0x7F; }

// "\a", "\t" and the like where C has a name for it, "\ooo" otherwise
void write_escaped(TextBuffer& text, unsigned char c) {
    static constexpr std::string_view kNamed = "abtnvfr";  // 7 to 13
    if (c >= 7 && c <= 13) {
        const char escape[2] = {'\\', kNamed[c - 7]};
        text << std::string_view(escape, 2);
        return;
    }
    const char escape[4] = {'\\', static_cast<char>('0' + (c >> 6)), static_cast<char>('0' + (c >> 3 & 7)),
                            static_cast<char>('0' + (c & 7))};
    text << std::string_view(escape, 4);
}

}  // namespace

// RFC 3629 section 4: the second byte's range depends on the first, which
// is what rules out overlong forms (E0, F0), surrogates (ED) and code
// points past U+10FFFF (F4); every later byte is 80-BF.
std::size_t utf8_sequence_length(std::string_view s) {
    if (s.empty()) return 0;
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char c = b(0);
    if (c < 0x80) return 1;
    std::size_t length;
    unsigned char low = 0x80, high = 0xBF;  // the second byte's range
    if (in(c, 0xC2, 0xDF)) {
        length = 2;
    } else if (in(c, 0xE0, 0xEF)) {
        length = 3;
        if (c == 0xE0) low = 0xA0;
        if (c == 0xED) high = 0x9F;
    } else if (in(c, 0xF0, 0xF4)) {
        length = 4;
        if (c == 0xF0) low = 0x90;
        if (c == 0xF4) high = 0x8F;
    } else {
        return 0;  // 80-C1 (a continuation, or an overlong two-byte lead) and F5-FF
    }
    if (s.size() < length || !in(b(1), low, high)) return 0;
    for (std::size_t i = 2; i < length; ++i)
        if (!in(b(i), 0x80, 0xBF)) return 0;
    return length;
}

namespace {

// How many bytes `s` starts with that show as they are: printable ASCII
// (nearly every byte of a SIP message, so tested first) and valid UTF-8
// sequences, up to the first control character or bad byte.
std::size_t plain_prefix(std::string_view s) {
    std::size_t plain = 0;
    while (plain < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[plain]);
        if (c >= 0x20 && c < 0x7F) {
            ++plain;
            continue;
        }
        const std::size_t n = c < 0x80 ? 0 : utf8_sequence_length(s.substr(plain));
        if (n == 0) break;
        plain += n;
    }
    return plain;
}

}  // namespace

bool is_plain_text(std::string_view s) { return plain_prefix(s) == s.size(); }

TextBuffer& operator<<(TextBuffer& text, WireText w) {
    std::string_view s = w.bytes;
    while (!s.empty()) {
        const std::size_t plain = plain_prefix(s);
        text << s.substr(0, plain);
        if (plain == s.size()) break;
        const unsigned char c = static_cast<unsigned char>(s[plain]);
        if (is_control(c))
            write_escaped(text, c);
        else
            text << kReplacement;
        s.remove_prefix(plain + 1);
    }
    return text;
}

}  // namespace sipresp
