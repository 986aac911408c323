// Text from a message made valid UTF-8 (wire_text.h): RFC 3629's own
// examples pass unchanged, and each byte that begins no valid sequence
// becomes U+FFFD, so that tshark's JSON and PDML stay documents a parser
// accepts whatever a SIP message carries.
#include "catch.h"

#include <string>

#include "text_buffer.h"
#include "wire_text.h"

using namespace sipresp;

namespace {

const std::string R = "\xEF\xBF\xBD";  // U+FFFD

std::string shown(std::string_view bytes) {
    char out[256];
    TextBuffer t(out, sizeof out);
    t << wire(bytes);
    return out;
}

}  // namespace

TEST_CASE("valid UTF-8 passes unchanged: RFC 3629 section 7's examples", "[utf8]") {
    for (const std::string_view s : {
             std::string_view("sip:bob@example.com"),
             std::string_view("\x41\xE2\x89\xA2\xCE\x91\x2E"),                  // A<NOT IDENTICAL TO><ALPHA>.
             std::string_view("\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4"),          // Korean for "Korean language"
             std::string_view("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"),          // Japanese for "Japanese"
             std::string_view("\xF0\xA3\x8E\xB4"),                              // U+233B4 (its BOM: below)
             std::string_view("M\xC3\xBCller"),                                 // a display name in UTF-8
         }) {
        CAPTURE(std::string(s));
        CHECK(is_plain_text(s));
        CHECK(shown(s) == std::string(s));
    }
    CHECK(utf8_sequence_length("\x7F") == 1);
    CHECK(utf8_sequence_length("\xC2\x80") == 2);         // U+0080, the first two-byte one
    CHECK(utf8_sequence_length("\xE0\xA0\x80") == 3);     // U+0800
    CHECK(utf8_sequence_length("\xED\x9F\xBF") == 3);     // U+D7FF, just below the surrogates
    CHECK(utf8_sequence_length("\xF0\x90\x80\x80") == 4); // U+10000
    CHECK(utf8_sequence_length("\xF4\x8F\xBF\xBF") == 4); // U+10FFFF, the last code point
}

TEST_CASE("each byte that begins no valid sequence becomes U+FFFD", "[utf8]") {
    // a display name in Latin-1, as older phones send it
    CHECK_FALSE(is_plain_text("M\xFCller"));
    CHECK(shown("M\xFCller") == "M" + R + "ller");
    // RFC 3629 section 3 rules out overlong forms, surrogates and code
    // points past U+10FFFF: none of their bytes begins a valid sequence
    CHECK(shown("\xC0\x80") == R + R);                    // NUL, overlong
    CHECK(shown("\xE0\x80\xAF") == R + R + R);            // '/', overlong
    CHECK(shown("\xED\xA0\x80") == R + R + R);            // U+D800, a surrogate
    CHECK(shown("\xF4\x90\x80\x80") == R + R + R + R);    // U+110000
    CHECK(shown("\xF5\x80\x80\x80") == R + R + R + R);    // F5-FF lead nothing
    CHECK(shown("\xFF") == R);
    // cut short: at the end, or by an ASCII byte; the ASCII byte stays
    CHECK(shown("ab\xE2\x89") == "ab" + R + R);
    CHECK(shown("\xE2\x89x") == R + R + "x");
    // a stray continuation byte between valid characters
    CHECK(shown("\xC3\xBC\x80\xC3\xBC") == "\xC3\xBC" + R + "\xC3\xBC");
    for (const char* s : {"\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "ab\xE2\x89", "\x80"}) {
        CAPTURE(std::string(s));
        CHECK_FALSE(is_plain_text(s));
        CHECK(is_plain_text(shown(s)));
    }
    CHECK(utf8_sequence_length("") == 0);
    CHECK(utf8_sequence_length("\xC1\xBF") == 0);  // U+007F, overlong
}

TEST_CASE("a text cut at the buffer's end is never cut inside a character", "[utf8][text]") {
    char out[16];
    // room for 5 bytes: "ab" and the 3-byte arrow fit; "abc" and it do not,
    // so the arrow goes whole and nothing after it is written either
    TextBuffer fits(out, 6);
    fits << "ab\u2192";
    CHECK(std::string(out) == "ab\u2192");
    TextBuffer cut(out, 6);
    cut << "abc\u2192" << "x";
    CHECK(std::string(out) == "abc");
    CHECK(cut.size() == 3);
    // a replacement that does not fit is left out whole
    TextBuffer replaced(out, 5);
    replaced << wire("ab\xFF" "cd");
    CHECK(std::string(out) == "ab");
    CHECK(is_plain_text(out));
}

TEST_CASE("an escape that does not fit is left out whole", "[utf8][text]") {
    // a part of an escape reads as another one: "\03" cut from "\033"
    // (ESC) reads as NUL and a digit, "\u20" cut from "\u202E" as nothing
    // anyone wrote; so an escape goes whole or not at all, and nothing
    // after it is written either
    char out[16];
    TextBuffer octal(out, 5);  // room for "ab" and 2 of "\033"'s 4 bytes
    octal << wire("ab\x1b" "c");
    CHECK(std::string(out) == "ab");
    TextBuffer named(out, 4);  // room for "ab" and 1 of "\a"'s 2 bytes
    named << wire("ab\x07");
    CHECK(std::string(out) == "ab");
    TextBuffer code_point(out, 7);  // room for "a" and 5 of "\u202E"'s 6 bytes
    code_point << wire("a\xE2\x80\xAE" "b") << "c";
    CHECK(std::string(out) == "a");
    TextBuffer long_code_point(out, 10);  // room for 9 of "\U000E0001"'s 10 bytes
    long_code_point << wire("\xF3\xA0\x80\x81");
    CHECK(std::string(out).empty());
    // and one that fits exactly is written
    TextBuffer exact(out, 7);
    exact << wire("ab\x1b");
    CHECK(std::string(out) == "ab\\033");
}

TEST_CASE("control characters are escaped as the SIP dissector writes them", "[utf8]") {
    // what Wireshark 4.0's SIP dissector shows for the same bytes in a
    // Contact URI: C's names where there is one, octal otherwise; a
    // backslash stays as it is
    CHECK(shown("a\x07" "b\x08" "c\x0c" "d\x0b" "e\x7f" "f\\g") == "a\\ab\\bc\\fd\\ve\\177f\\g");
    CHECK(shown("\t\r\n") == "\\t\\r\\n");
    CHECK(shown(std::string_view("\0\x01\x1f", 3)) == "\\000\\001\\037");
    // an escape sequence for a terminal reaches it as text only
    CHECK(shown("Evil\x1b[31mRed") == "Evil\\033[31mRed");
    CHECK_FALSE(is_plain_text("Evil\x1b[31mRed"));
    CHECK_FALSE(is_plain_text("a\x7f"));
    CHECK_FALSE(is_plain_text("M\xFCller"));
    CHECK(is_plain_text("M\xC3\xBCller \u2192 sip:bob@192.0.2.4"));
    CHECK(is_plain_text(shown("Evil\x1b[31mR\xFF" "ed")));
    // a control character inside valid text, and next to a bad byte
    CHECK(shown("\xC3\xBC\x01\xFF") == "\xC3\xBC\\001" + R);
}

TEST_CASE("characters that show nothing are escaped by code point, as the SIP dissector does", "[utf8]") {
    // C1 controls (U+0080-U+009F) and Unicode's format characters (category
    // Cf: zero-width ones, bidirectional overrides, tags) do not show as
    // themselves: U+202E turns the rest of a line around, so a URI could
    // read as another. Wireshark 4.0's SIP dissector writes the same URI
    // as sip:a\u009B31mb\u200Bc\u202Ed@192.0.2.4
    CHECK(shown("sip:a\xC2\x9B" "31mb\xE2\x80\x8B" "c\xE2\x80\xAE" "d@192.0.2.4") ==
          "sip:a\\u009B31mb\\u200Bc\\u202Ed@192.0.2.4");
    CHECK(shown("\xC2\x80\xC2\xAD\xEF\xBB\xBF") == "\\u0080\\u00AD\\uFEFF");  // first C1, soft hyphen, BOM
    CHECK(shown("\xF3\xA0\x80\x81") == "\\U000E0001");                       // LANGUAGE TAG, past U+FFFF
    CHECK_FALSE(is_plain_text("b\xE2\x80\x8B" "c"));
    // what does show stays as sent: letters, the arrow, a no-break space,
    // the line after the C1 block (U+00A0-U+00AC)
    for (const char* s : {"J\xC3\xBCrgen", "\xE2\x86\x92", "\xC2\xA0", "\xC2\xAC", "\xE2\x80\x8A", "\xE2\x80\x90"}) {
        CAPTURE(std::string(s));
        CHECK(is_plain_text(s));
        CHECK(shown(s) == s);
    }
}
