// Text from a SIP message as a display may be given it. SIP text is UTF-8
// (RFC 3261 7, 25.1), but field traffic has Latin-1 display names and
// plain junk: passed on as it is, one such byte makes tshark's JSON and
// PDML documents invalid for every parser that reads them, although the SIP
// dissector's own output stays valid. So every text sipresp takes from a
// message is put out as valid UTF-8 (RFC 3629), each byte that begins no
// valid sequence replaced by U+FFFD, as Wireshark does for its own fields.
// Control characters (C0 and DEL) are written as C escapes, "\a" or
// "\033", as the SIP dissector writes them: raw, a hostile message's
// escape sequences would reach the terminal of whoever runs tshark -V.
// Characters that show nothing (C1 controls, Unicode's format characters
// such as U+200B or the override U+202E, which turns a line around so that
// one URI reads as another) are written by code point, "\u202E", as the
// SIP dissector writes them too.
#pragma once

#include <cstddef>
#include <string_view>

#include "text_buffer.h"

namespace sipresp {

// The length (1 to 4) of the UTF-8 sequence `s` starts with, or 0 where it
// starts with none: a stray continuation byte, an overlong form, a
// surrogate, a code point past U+10FFFF, or a sequence cut short.
std::size_t utf8_sequence_length(std::string_view s);

// Whether `s` shows as it is: valid UTF-8 without control characters or
// characters that show nothing (the common case, checked first).
bool is_plain_text(std::string_view s);

// Bytes from a message on their way into a TextBuffer: `text << wire(uri)`.
struct WireText {
    std::string_view bytes;
};
inline WireText wire(std::string_view bytes) { return {bytes}; }

// Appends the bytes with each one that begins no valid sequence as U+FFFD,
// each control character and each character that shows nothing escaped.
TextBuffer& operator<<(TextBuffer& text, WireText w);

// U+FFFD REPLACEMENT CHARACTER in UTF-8.
inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// The most bytes one byte of a message becomes ("\033").
inline constexpr std::size_t kMostPerByte = 4;

}  // namespace sipresp
