// ASCII case rules applied eight bytes at a time. Header and parameter names
// are compared case-insensitively for every message (7.3.1, 20: "Content-
// Length" against each line that starts with a C, "branch" and "tag" against
// each parameter), and a byte-wise to_lower loop was the largest single cost
// of finding where a message ends.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace sipresp {

// A-Z -> a-z in each byte of w; every other byte value, UTF-8 included,
// unchanged. The same mapping as to_lower (chars.h), per byte.
constexpr std::uint64_t lower8(std::uint64_t w) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    const std::uint64_t low7 = w & (0x7f * kOnes);
    const std::uint64_t from_a = low7 + (0x80 - 'A') * kOnes;      // top bit: byte >= 'A'
    const std::uint64_t past_z = low7 + (0x80 - 'Z' - 1) * kOnes;  // top bit: byte > 'Z'
    const std::uint64_t upper = from_a & ~past_z & ~w & (0x80 * kOnes);
    return w | (upper >> 2);  // 0x80 >> 2 is the case bit 0x20
}

// Whether a[0, n) and b[0, n) are equal once A-Z are lower-cased. Reads no
// byte outside them: words of 8, then one 8-byte word that overlaps the
// last full one, or for short texts two overlapping halves.
inline bool iequals_words(const char* a, const char* b, std::size_t n) {
    const auto load8 = [](const char* p) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        return w;
    };
    if (n >= 8) {
        for (std::size_t i = 0; i + 8 <= n; i += 8)
            if (lower8(load8(a + i)) != lower8(load8(b + i))) return false;
        return n % 8 == 0 || lower8(load8(a + n - 8)) == lower8(load8(b + n - 8));
    }
    // Each byte lands in at least one half, at a position that depends on n
    // alone, so equal words mean equal bytes.
    const auto halves = [n](const char* p) -> std::uint64_t {
        if (n >= 4) {
            std::uint32_t head, end;
            std::memcpy(&head, p, 4);
            std::memcpy(&end, p + n - 4, 4);
            return head | (static_cast<std::uint64_t>(end) << 32);
        }
        if (n >= 2) {
            std::uint16_t head, end;
            std::memcpy(&head, p, 2);
            std::memcpy(&end, p + n - 2, 2);
            return head | (static_cast<std::uint64_t>(end) << 16);
        }
        return n == 1 ? static_cast<unsigned char>(p[0]) : 0;
    };
    return lower8(halves(a)) == lower8(halves(b));
}

}  // namespace sipresp
