// 64-bit keys for the capture's tables, made from the texts that identify a
// transaction, a dialog or a caller (Call-ID, CSeq, tags, branch, URIs).
//
// Every SIP message of a capture is hashed several times on the first pass,
// so the hash takes eight bytes per step; a byte-at-a-time FNV chain was 6%
// of all the instructions sipresp adds to tshark. Case-insensitive parts are
// lower-cased eight bytes at once. Keys live only in memory for one file:
// the values may change between versions.
//
// The hash starts from a seed chosen when the process starts. The function
// is public, and without a seed two texts can be made to give one key (the
// state after a first word is known, so a second word can cancel the
// difference): a capture full of such Call-IDs would pile its calls into one
// run of a table and make every lookup walk it, a capture that takes hours
// instead of seconds. With the seed unknown, such texts cannot be made.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "ascii_words.h"

namespace sipresp {

// The seed every KeyHash of this process starts from, chosen as the library
// loads (key_hash.cpp): SIPRESP_KEY_SEED from the environment when it holds
// a number (to compare two runs' table layouts), else one made from the
// clock and where the process was loaded. A plain variable, not a function's
// static: a key is made some eight times a message, and the guard of a
// function's static cost 31 instructions a message. Changed only before any
// key is made (the fuzzer fixes it so that its finds replay), and no key is
// made while libraries load.
extern std::uint64_t process_key_seed;
// `text` read as a number (decimal, or hex after 0x), or `otherwise` when it
// is missing or not wholly a number.
std::uint64_t key_seed_from(const char* text, std::uint64_t otherwise);

class KeyHash {
public:
    KeyHash() : state_(process_key_seed) {}
    // A hash from a given seed: the tests', which need to know it.
    explicit KeyHash(std::uint64_t seed) : state_(seed) {}

    // Each part is delimited (its length is mixed in), so ("ab", "c") and
    // ("a", "bc") give different keys.
    void add(std::string_view part) { add_words(part, false); }
    // The same with ASCII letters lower-cased (host names, tags: 19.1.4, 19.3).
    void add_lower(std::string_view part) { add_words(part, true); }
    std::uint64_t value() const { return state_; }

private:
    void mix(std::uint64_t word) {
        const std::uint64_t x = state_ ^ word;
#if defined(__SIZEOF_INT128__)
        // multiply and fold the 128-bit product: every input bit reaches
        // every output bit in one step
        const unsigned __int128 p = static_cast<unsigned __int128>(x) * 0x9e3779b97f4a7c15ull;
        state_ = static_cast<std::uint64_t>(p) ^ static_cast<std::uint64_t>(p >> 64);
#else
        const std::uint64_t p = x * 0x9e3779b97f4a7c15ull;
        state_ = p ^ (p >> 29);
#endif
    }

    // The last n (< 8) bytes of a part ending at p + n, as the low bytes of a
    // word (byte i at bits 8i). A memcpy of a variable length is a library
    // call, which cost more than all the mixing: fixed-size loads instead,
    // reaching back into the part's earlier bytes when it has them.
    static std::uint64_t load_tail(const char* p, std::size_t n, std::size_t part_size) {
        if (n == 0) return 0;
        if constexpr (std::endian::native == std::endian::little) {
            if (part_size >= 8) {
                std::uint64_t w;
                std::memcpy(&w, p + n - 8, 8);
                return w >> ((8 - n) * 8);
            }
            if (n >= 4) {  // two 4-byte loads that overlap in the middle
                std::uint32_t head, end;
                std::memcpy(&head, p, 4);
                std::memcpy(&end, p + n - 4, 4);
                return head | (static_cast<std::uint64_t>(end) << ((n - 4) * 8));
            }
        }
        std::uint64_t w = 0;
        for (std::size_t i = 0; i < n; ++i) w |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
        return w;
    }

    void add_words(std::string_view part, bool lower) {
        const char* p = part.data();
        std::size_t n = part.size();
        for (; n >= 8; p += 8, n -= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, 8);
            mix(lower ? lower8(w) : w);
        }
        std::uint64_t tail = load_tail(p, n, part.size());
        if (lower) tail = lower8(tail);
        // the length in the top byte, above the at most 7 tail bytes
        mix(tail ^ (static_cast<std::uint64_t>(part.size() & 0xff) << 56));
    }

    std::uint64_t state_;
};

}  // namespace sipresp
