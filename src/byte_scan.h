// Finding the next of a few delimiter bytes in a short SIP text.
//
// Header lines, list elements and parameters are tens of bytes long. A
// library memchr call per delimiter costs more in set-up than in search, and
// a value often needs several (comma, quote, angle brackets). One pass that
// compares 16 bytes against every wanted byte at once does the work of all of
// them; SSE2 is part of every x86-64, other machines take the plain loop.
#pragma once

#include <cstddef>
#include <string_view>

#include "chars.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sipresp {

// Index of the first byte at or after `pos` equal to one of `wanted`, or
// s.size() when there is none. Never reads outside s.
template <typename... Bytes>
[[gnu::always_inline]] inline std::size_t find_first_of_bytes(std::string_view s, std::size_t pos, Bytes... wanted) {
    static_assert(sizeof...(Bytes) >= 1 && sizeof...(Bytes) <= 4, "meant for a few delimiters");
#if defined(__SSE2__)
    const auto hits_at = [&](std::size_t at) {
        const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + at));
        __m128i hits = _mm_setzero_si128();
        ((hits = _mm_or_si128(hits, _mm_cmpeq_epi8(block, _mm_set1_epi8(static_cast<char>(wanted))))), ...);
        return static_cast<unsigned>(_mm_movemask_epi8(hits));
    };
    if (s.size() >= 16) {
        for (; pos + 16 <= s.size(); pos += 16)
            if (const unsigned mask = hits_at(pos)) return pos + static_cast<std::size_t>(__builtin_ctz(mask));
        if (pos >= s.size()) return s.size();
        // the tail: the last 16 bytes of s, minus those before pos
        const std::size_t last = s.size() - 16;
        const unsigned mask = hits_at(last) >> (pos - last);
        return mask ? pos + static_cast<std::size_t>(__builtin_ctz(mask)) : s.size();
    }
#endif
    for (; pos < s.size(); ++pos) {
        const char c = s[pos];
        if (((c == static_cast<char>(wanted)) || ...)) return pos;
    }
    return s.size();
}

// Index of the first byte at or after `pos` that is not a token character
// (chars.h), or s.size(). Header names end here: a byte loop pays a
// mispredicted exit per header, one 16-byte test does not.
[[gnu::always_inline]] inline std::size_t skip_token(std::string_view s, std::size_t pos) {
#if defined(__SSE2__)
    while (pos + 16 <= s.size()) {
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + pos));
        const auto in = [](__m128i v, char lo, char hi) {  // lo <= v <= hi; bytes >= 0x80 are negative: never in
            return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(lo - 1))),
                                 _mm_cmpgt_epi8(_mm_set1_epi8(static_cast<char>(hi + 1)), v));
        };
        const auto eq = [&b](char c) { return _mm_cmpeq_epi8(b, _mm_set1_epi8(c)); };
        // letters: setting bit 5 maps exactly A-Z and a-z onto a-z
        __m128i token = in(_mm_or_si128(b, _mm_set1_epi8(0x20)), 'a', 'z');
        token = _mm_or_si128(token, in(b, '0', '9'));
        token = _mm_or_si128(token, _mm_or_si128(in(b, '*', '+'), in(b, '-', '.')));
        token = _mm_or_si128(token, _mm_or_si128(_mm_or_si128(eq('!'), eq('%')), _mm_or_si128(eq('_'), eq('`'))));
        token = _mm_or_si128(token, _mm_or_si128(eq('\''), eq('~')));
        const unsigned other = ~static_cast<unsigned>(_mm_movemask_epi8(token)) & 0xffffu;
        if (other != 0) return pos + static_cast<std::size_t>(__builtin_ctz(other));
        pos += 16;
    }
#endif
    while (pos < s.size() && is_token_char(s[pos])) ++pos;
    return pos;
}

}  // namespace sipresp
