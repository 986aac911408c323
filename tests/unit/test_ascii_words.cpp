// Case-insensitive comparison a word at a time (ascii_words.h): for every
// length, byte position and byte value it must agree with the byte-wise rule
// of RFC 3261 7.3.1 (only A-Z fold to a-z).
#include "catch.h"

#include <string>

#include "ascii_words.h"
#include "chars.h"

using namespace sipresp;

namespace {

// The definition, one byte at a time.
bool reference(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto fold = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
        if (fold(a[i]) != fold(b[i])) return false;
    }
    return true;
}

}  // namespace

TEST_CASE("lower8 lower-cases exactly A-Z in every byte lane", "[ascii]") {
    for (int v = 0; v < 256; ++v) {
        const auto byte = static_cast<std::uint64_t>(v);
        const std::uint64_t expected = v >= 'A' && v <= 'Z' ? byte + 32 : byte;
        for (int lane = 0; lane < 8; ++lane) {
            INFO("byte " << v << " in lane " << lane);
            // neighbours that are letters must not leak into this lane
            const std::uint64_t around = 0x5a5a5a5a5a5a5a5aull & ~(0xffull << (8 * lane));
            const std::uint64_t folded_around = 0x7a7a7a7a7a7a7a7aull & ~(0xffull << (8 * lane));
            CHECK(lower8(around | (byte << (8 * lane))) == (folded_around | (expected << (8 * lane))));
        }
    }
}

TEST_CASE("iequals agrees with the byte-wise rule for every length, position and byte pair", "[ascii]") {
    const std::string base = "Content-Length;branch=z9hG4bK776asdhds;TAG=1928301774xyz";
    for (std::size_t n = 0; n <= base.size(); ++n) {
        const std::string a = base.substr(0, n);
        std::string upper = a;
        for (char& c : upper)
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
        INFO("length " << n);
        CHECK(iequals(a, upper));
        CHECK(iequals(upper, a));
        CHECK_FALSE(iequals(a, base.substr(0, n + 1 <= base.size() ? n + 1 : 0)));
        // every byte of every length counts, whichever word holds it
        for (std::size_t at = 0; at < n; ++at) {
            std::string b = upper;
            b[at] = a[at] == '!' ? '#' : '!';
            if (iequals(a, b)) FAIL("byte " << at << " of " << n << " ignored");
        }
    }
    // every pair of byte values, at a position in a full word and in the
    // overlapping tail of a 13-byte text, and in a 3- and a 6-byte text
    for (const std::size_t length : {std::size_t{3}, std::size_t{6}, std::size_t{13}}) {
        for (const std::size_t at : {std::size_t{0}, length - 1, length / 2}) {
            std::string a(length, 'q'), b(length, 'Q');
            std::size_t disagreements = 0;
            for (int x = 0; x < 256; ++x) {
                for (int y = 0; y < 256; ++y) {
                    a[at] = static_cast<char>(x);
                    b[at] = static_cast<char>(y);
                    disagreements += iequals(a, b) != reference(a, b);
                }
            }
            INFO("length " << length << ", byte " << at);
            CHECK(disagreements == 0);
        }
    }
}

TEST_CASE("iequals is still usable at compile time", "[ascii]") {
    static_assert(iequals("Content-Length", "content-length"));
    static_assert(!iequals("Content-Length", "content-lengthy"));
    static_assert(!iequals("[", "{"));
    CHECK(iequals(std::string("CSEQ"), std::string("cseq")));
}
