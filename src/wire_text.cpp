#include "wire_text.h"

#include <cstdint>

namespace sipresp {

namespace {

constexpr bool in(unsigned char c, unsigned char low, unsigned char high) { return c >= low && c <= high; }

constexpr bool is_control(unsigned char c) { return c < 0x20 || c == 0x7F; }

// "\a", "\t" and the like where C has a name for it, "\ooo" otherwise
void write_escaped(TextBuffer& text, unsigned char c) {
    static constexpr std::string_view kNamed = "abtnvfr";  // 7 to 13
    if (c >= 7 && c <= 13) {
        const char escape[2] = {'\\', kNamed[c - 7]};
        text.whole(std::string_view(escape, 2));
        return;
    }
    const char escape[4] = {'\\', static_cast<char>('0' + (c >> 6)), static_cast<char>('0' + (c >> 3 & 7)),
                            static_cast<char>('0' + (c & 7))};
    text.whole(std::string_view(escape, 4));
}

// The C1 controls and Unicode's format characters (general category Cf, as
// of Unicode 15): valid, but nothing a reader sees, and some (U+202E)
// reorder what follows them on the line.
bool shows_nothing(std::uint32_t cp) {
    static constexpr std::uint32_t kRanges[][2] = {
        {0x80, 0x9F},       {0xAD, 0xAD},       {0x600, 0x605},     {0x61C, 0x61C},     {0x6DD, 0x6DD},
        {0x70F, 0x70F},     {0x890, 0x891},     {0x8E2, 0x8E2},     {0x180E, 0x180E},   {0x200B, 0x200F},
        {0x202A, 0x202E},   {0x2060, 0x2064},   {0x2066, 0x206F},   {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},
        {0x110BD, 0x110BD}, {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A},
        {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
    };
    for (const auto& r : kRanges)
        if (cp >= r[0] && cp <= r[1]) return true;
    return false;
}

// The code point of the valid `n`-byte sequence `s` starts with.
std::uint32_t code_point(std::string_view s, std::size_t n) {
    static constexpr unsigned char kLeadBits[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    std::uint32_t cp = static_cast<unsigned char>(s[0]) & kLeadBits[n];
    for (std::size_t i = 1; i < n; ++i) cp = cp << 6 | (static_cast<unsigned char>(s[i]) & 0x3F);
    return cp;
}

// "\u202E" below U+10000, "\U000E0001" past it: as Wireshark writes them.
void write_code_point(TextBuffer& text, std::uint32_t cp) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    char escape[10] = {'\\', cp > 0xFFFF ? 'U' : 'u'};
    const int digits = cp > 0xFFFF ? 8 : 4;
    for (int i = 0; i < digits; ++i) escape[2 + i] = kHex[cp >> (4 * (digits - 1 - i)) & 0xF];
    text.whole(std::string_view(escape, static_cast<std::size_t>(2 + digits)));
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
// sequences, up to the first control character, character that shows
// nothing, or bad byte.
std::size_t plain_prefix(std::string_view s) {
    std::size_t plain = 0;
    while (plain < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[plain]);
        if (c >= 0x20 && c < 0x7F) {
            ++plain;
            continue;
        }
        const std::size_t n = c < 0x80 ? 0 : utf8_sequence_length(s.substr(plain));
        if (n == 0 || shows_nothing(code_point(s.substr(plain), n))) break;
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
        const std::size_t n = c < 0x80 ? 0 : utf8_sequence_length(s.substr(plain));
        if (is_control(c))
            write_escaped(text, c);
        else if (n != 0)
            write_code_point(text, code_point(s.substr(plain), n));  // one that shows nothing
        else
            text << kReplacement;
        s.remove_prefix(plain + (n != 0 ? n : 1));
    }
    return text;
}

}  // namespace sipresp
