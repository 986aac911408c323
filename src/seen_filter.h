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
    // 2^21 bits (256 KiB): a wrong "maybe" about 1 time in 80 with 100k
    // keys, 1 in 7 with 500k (both bits in one word: a little more often
    // than bits anywhere, which took 1 in 150 and 1 in 10).
    static constexpr std::size_t kBits = std::size_t{1} << 21;

    void add(std::uint64_t digest) {
        if (words_.empty()) words_.assign(kBits / 64, 0);
        word(digest) |= mask(digest);
    }

    bool may_contain(std::uint64_t digest) const {
        return !words_.empty() && (word(digest) & mask(digest)) == mask(digest);
    }

    // Starts loading the word may_contain(digest) reads (always inlined:
    // see DigestMap::prefetch).
    [[gnu::always_inline]] void prefetch(std::uint64_t digest) const {
        if (!words_.empty()) __builtin_prefetch(&word(digest));
    }

    std::size_t bytes() const { return words_.capacity() * sizeof(std::uint64_t); }

private:
    // digests are well mixed: the low half picks one 64-bit word, the high
    // half two bits in it, so a question costs one cache line, not two
    // (each line missed also evicts some of Wireshark's own data)
    static std::uint64_t mask(std::uint64_t digest) {
        return (std::uint64_t{1} << ((digest >> 32) % 64)) | (std::uint64_t{1} << ((digest >> 40) % 64));
    }
    std::uint64_t& word(std::uint64_t digest) { return words_[(digest % kBits) / 64]; }
    const std::uint64_t& word(std::uint64_t digest) const { return words_[(digest % kBits) / 64]; }
    std::vector<std::uint64_t> words_;
};

}  // namespace sipresp
