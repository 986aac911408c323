// A set of 64-bit digests that answers "maybe" or "no" (a Bloom filter with
// two bits per key): never "no" for a key it was given, sometimes "maybe"
// for one it was not. The capture tracker asks it whether a client ever
// received a redirect, to skip reading the Request-URI of everyone else; a
// wrong "maybe" costs that reading and nothing more, where a table of every
// redirected client cost 12 bytes a slot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sipresp {

class SeenFilter {
public:
    // 2^21 bits (256 KiB): a wrong "maybe" about 1 time in 150 with 100k
    // keys, 1 in 10 with 500k.
    static constexpr std::size_t kBits = std::size_t{1} << 21;

    void add(std::uint64_t digest) {
        if (words_.empty()) words_.assign(kBits / 64, 0);
        set(digest);
        set(digest >> 32);
    }

    bool may_contain(std::uint64_t digest) const {
        return !words_.empty() && test(digest) && test(digest >> 32);
    }

    std::size_t bytes() const { return words_.capacity() * sizeof(std::uint64_t); }

private:
    // digests are well mixed: their low and high halves index the bits
    void set(std::uint64_t bits) { words_[(bits % kBits) / 64] |= std::uint64_t{1} << (bits % 64); }
    bool test(std::uint64_t bits) const { return (words_[(bits % kBits) / 64] >> (bits % 64)) & 1; }

    std::vector<std::uint64_t> words_;
};

}  // namespace sipresp
