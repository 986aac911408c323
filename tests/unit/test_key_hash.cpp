// Table keys (key_hash.h): equal texts give equal keys, case folded only
// where asked and only for ASCII letters, and parts stay delimited.
#include "catch.h"

#include <set>
#include <string>

#include "key_hash.h"

using namespace sipresp;

namespace {

std::uint64_t key(std::string_view a, bool lower = false) {
    KeyHash h;
    if (lower) h.add_lower(a);
    else h.add(a);
    return h.value();
}

std::uint64_t key2(std::string_view a, std::string_view b) {
    KeyHash h;
    h.add(a);
    h.add(b);
    return h.value();
}

}  // namespace

TEST_CASE("add_lower folds ASCII capitals wherever they sit in the 8-byte words", "[hash]") {
    const std::string lower = "atlanta.example.com;tag=9fxced76sl-abcdefghijklmnopqrstuvwxyz";
    std::string upper = lower;
    for (char& c : upper)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    for (std::size_t n = 0; n <= lower.size(); ++n) {
        INFO("first " << n << " bytes");
        CHECK(key(upper.substr(0, n), true) == key(lower.substr(0, n), true));
        CHECK(key(upper.substr(0, n), true) == key(lower.substr(0, n)));
    }
    // add keeps case
    CHECK(key("Bob") != key("bob"));
}

TEST_CASE("add_lower leaves every byte that is not A-Z alone", "[hash]") {
    // neighbours of the capital range, and bytes whose low 7 bits are a
    // capital letter ("\xC1" is not 'A')
    for (int byte = 0; byte < 256; ++byte) {
        const bool capital = byte >= 'A' && byte <= 'Z';
        const std::string word = "xxxx" + std::string(1, static_cast<char>(byte)) + "yyyyy";
        INFO("byte " << byte);
        if (capital) {
            const std::string folded = "xxxx" + std::string(1, static_cast<char>(byte + 32)) + "yyyyy";
            CHECK(key(word, true) == key(folded));
        } else {
            CHECK(key(word, true) == key(word));
        }
    }
    CHECK(key("\xC1", true) != key("\xE1", true));
}

TEST_CASE("parts are delimited and every length gives its own key", "[hash]") {
    CHECK(key2("ab", "c") != key2("a", "bc"));
    CHECK(key2("", "abc") != key2("abc", ""));
    CHECK(key2("abcdefgh", "") != key("abcdefgh"));
    std::set<std::uint64_t> keys;
    std::string zeros;
    for (int n = 0; n <= 40; ++n, zeros.push_back('\0')) keys.insert(key(zeros));
    CHECK(keys.size() == 41);  // runs of zero bytes differ only by length
}

TEST_CASE("keys of many similar Call-IDs do not collide", "[hash]") {
    std::set<std::uint64_t> keys;
    for (int i = 0; i < 100000; ++i) keys.insert(key(std::to_string(i) + "@192.0.2.1"));
    CHECK(keys.size() == 100000);
}

TEST_CASE("every byte of a part counts, whatever its length and place", "[hash]") {
    // the last bytes of a part are loaded in fixed-size pieces that overlap:
    // a wrong shift would drop or double one of them
    for (std::size_t size = 1; size <= 24; ++size) {
        const std::string base(size, 'k');
        const std::uint64_t base_key = key(base);
        for (std::size_t i = 0; i < size; ++i) {
            std::string changed = base;
            changed[i] = 'K';
            INFO("size " << size << ", byte " << i);
            CHECK(key(changed) != base_key);
            CHECK(key(changed, true) == base_key);  // and case folding reaches it
        }
    }
}

TEST_CASE("a part's key depends on its bytes only, not on the bytes around it", "[hash]") {
    const std::string part_text = "z9hG4bK776asdhds-1@192.0.2.1";
    for (std::size_t size = 0; size <= part_text.size(); ++size) {
        const std::string part = part_text.substr(0, size);
        const std::uint64_t alone = key(part);
        for (std::size_t before = 0; before <= 9; ++before) {
            const std::string buffer = std::string(before, '#') + part + std::string(9, '#');
            INFO("size " << size << ", " << before << " bytes before it");
            CHECK(key(std::string_view(buffer).substr(before, size)) == alone);
        }
    }
}

namespace {

// KeyHash's step, as an attacker who read key_hash.h would write it: the
// state after a part's first word is known once the seed is.
std::uint64_t mix_step(std::uint64_t state, std::uint64_t word) {
    const std::uint64_t x = state ^ word;
#if defined(__SIZEOF_INT128__)
    const unsigned __int128 p = static_cast<unsigned __int128>(x) * 0x9e3779b97f4a7c15ull;
    return static_cast<std::uint64_t>(p) ^ static_cast<std::uint64_t>(p >> 64);
#else
    const std::uint64_t p = x * 0x9e3779b97f4a7c15ull;
    return p ^ (p >> 29);
#endif
}

std::uint64_t word_of(std::string_view eight) {
    std::uint64_t w = 0;
    for (std::size_t i = 0; i < 8; ++i) w |= static_cast<std::uint64_t>(static_cast<unsigned char>(eight[i])) << (8 * i);
    return w;
}

std::string text_of(std::uint64_t w) {
    std::string s(8, '\0');
    for (std::size_t i = 0; i < 8; ++i) s[i] = static_cast<char>(w >> (8 * i));
    return s;
}

std::uint64_t seeded_key(std::uint64_t seed, std::string_view part) {
    KeyHash h(seed);
    h.add(part);
    return h.value();
}

}  // namespace

TEST_CASE("two texts made to share a key under a known seed do not share it under another", "[hash]") {
    // Two 16-byte Call-IDs: the second's second word cancels the difference
    // the first words left in the state, so both end in the same state.
    // (word_of loads a word the way KeyHash does on a little-endian
    // machine; the first REQUIRE checks that the construction holds here.)
    const std::uint64_t known_seed = 0x243f6a8885a308d3ull;
    const std::uint64_t a = word_of("call-aaa"), b = word_of("call-bbb"), x = word_of("@host.ex");
    const std::uint64_t y = x ^ mix_step(known_seed, a) ^ mix_step(known_seed, b);
    const std::string first = text_of(a) + text_of(x), second = text_of(b) + text_of(y);
    REQUIRE(first != second);
    REQUIRE(seeded_key(known_seed, first) == seeded_key(known_seed, second));

    // a process's keys start from a seed such a capture could not know
    for (std::uint64_t other : {known_seed + 1, ~known_seed, std::uint64_t{0}, std::uint64_t{1} << 63, process_key_seed}) {
        if (other == known_seed) continue;
        INFO("seed " << other);
        CHECK(seeded_key(other, first) != seeded_key(other, second));
    }
    // and the keys the tracker makes (KeyHash's default) are such keys
    CHECK(process_key_seed != known_seed);
    CHECK(key(first) != key(second));
}

TEST_CASE("a KeyHash starts from the process's seed, the same for every key", "[hash]") {
    CHECK(key("call-1@192.0.2.1") == seeded_key(process_key_seed, "call-1@192.0.2.1"));
    // two seeds give two keys for one text
    CHECK(seeded_key(1, "call-1@192.0.2.1") != seeded_key(2, "call-1@192.0.2.1"));
}

TEST_CASE("SIPRESP_KEY_SEED is taken only when it is wholly a number", "[hash]") {
    CHECK(key_seed_from("42", 7) == 42);
    CHECK(key_seed_from("0x10", 7) == 16);
    CHECK(key_seed_from("18446744073709551615", 7) == ~std::uint64_t{0});
    CHECK(key_seed_from(nullptr, 7) == 7);
    CHECK(key_seed_from("", 7) == 7);
    CHECK(key_seed_from("12abc", 7) == 7);
    CHECK(key_seed_from("seed", 7) == 7);
}
