// TextBuffer (text_buffer.h): texts and numbers in order, always
// NUL-terminated, cut at the buffer's size and never past it.
#include "catch.h"

#include <cstdio>
#include <cstring>
#include <string>

#include "text_buffer.h"

using namespace sipresp;

TEST_CASE("TextBuffer writes texts and decimal numbers in order", "[text]") {
    char out[64];
    TextBuffer t(out, sizeof out);
    CHECK(t.empty());
    CHECK(std::string(t.c_str()).empty());
    t << "\u2192 " << std::string_view("sip:bob@192.0.2.4") << " (" << std::uint64_t{3600} << " s) +"
      << std::uint64_t{0} << " " << std::uint64_t{18446744073709551615ull};
    CHECK(std::string(out) == "\u2192 sip:bob@192.0.2.4 (3600 s) +0 18446744073709551615");
    CHECK(t.size() == std::strlen(out));
}

TEST_CASE("TextBuffer cuts at the buffer's size and keeps the NUL inside it", "[text]") {
    char out[12];
    std::memset(out, 'X', sizeof out);
    TextBuffer t(out, 8);
    t << "abcde" << std::uint64_t{12345} << "more";
    CHECK(t.size() == 7);
    CHECK(std::string(out) == "abcde12");
    CHECK(out[8] == 'X');  // nothing written past the given size
    TextBuffer one(out, 1);
    one << "x" << std::uint64_t{9};
    CHECK(one.size() == 0);
    CHECK(out[0] == '\0');
}

TEST_CASE("TextBuffer writes thousandths as printf's %.3f and %g do", "[text]") {
    // printf is the reference: the plugin's labels said "q=%g" and
    // "%.3f ms" before they were written without it
    for (std::uint64_t units : {0ull, 1ull, 5ull, 10ull, 70ull, 100ull, 125ull, 500ull, 700ull, 999ull, 1000ull,
                                1001ull, 1500ull, 12345ull, 65535ull, 999999ull, 1234567ull}) {
        INFO(units);
        char expected[64], out[64];
        std::snprintf(expected, sizeof expected, "%.3f", static_cast<double>(units) / 1000.0);
        TextBuffer fixed(out, sizeof out);
        fixed.decimal(units, 3, false);
        CHECK(std::string(out) == expected);
        std::snprintf(expected, sizeof expected, "%g", static_cast<double>(units) / 1000.0);
        TextBuffer trimmed(out, sizeof out);
        trimmed.decimal(units, 3, true);
        if (units < 1000000) CHECK(std::string(out) == expected);  // %g keeps six significant digits
    }
    char out[16];
    TextBuffer none(out, sizeof out);
    none.decimal(42, 0, false);
    CHECK(std::string(out) == "42");
}

TEST_CASE("TextBuffer pads a number to a width as printf's %0*llu and %*llu do", "[text]") {
    for (unsigned long long n : {0ull, 7ull, 42ull, 999ull, 1000000000ull, 18446744073709551615ull}) {
        for (unsigned width : {0u, 1u, 2u, 9u, 20u}) {
            INFO(n << " width " << width);
            char expected[64], out[64];
            std::snprintf(expected, sizeof expected, "%0*llu", static_cast<int>(width), n);
            TextBuffer zeros(out, sizeof out);
            zeros.padded(n, width);
            CHECK(std::string(out) == expected);
            std::snprintf(expected, sizeof expected, "%*llu", static_cast<int>(width), n);
            TextBuffer spaces(out, sizeof out);
            spaces.padded(n, width, ' ');
            CHECK(std::string(out) == expected);
        }
    }
}
