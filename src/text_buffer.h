// Short texts (the Info column summary, lifetimes) assembled into a caller's
// fixed buffer without printf. The summary is written for every 2xx and 3xx
// of a capture, and snprintf's format parsing cost more instructions than
// everything else the summary does. Allocates nothing and never throws: the
// plugin writes these between Wireshark calls that may longjmp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sipresp {

class TextBuffer {
public:
    // `size` >= 1 bytes at `out`; the text is cut at size - 1 bytes so the
    // terminating NUL always fits.
    TextBuffer(char* out, std::size_t size) : out_(out), room_(size - 1) { out_[0] = '\0'; }

    // A text that does not fit is cut before the character the end falls
    // in (never inside a UTF-8 sequence, which would make the whole text
    // invalid), and nothing is written after a cut: the text stays a prefix.
    TextBuffer& operator<<(std::string_view s) {
        std::size_t n = s.size() < room_ - used_ ? s.size() : room_ - used_;
        if (n < s.size()) n = cut(s, n);
        for (std::size_t i = 0; i < n; ++i) out_[used_ + i] = s[i];
        used_ += n;
        out_[used_] = '\0';
        return *this;
    }

    // `s` if all of it fits, else nothing, and nothing after it either: for
    // a text a part of which reads as another, such as the escape \033
    // (ESC) cut to \03, which reads as NUL and a digit.
    TextBuffer& whole(std::string_view s) {
        if (s.size() > room_ - used_) {
            room_ = used_;
            return *this;
        }
        return *this << s;
    }

    TextBuffer& operator<<(std::uint64_t n) { return padded(n, 1); }

    // n in decimal, at least `width` (at most 20) characters: `pad` before
    // its digits as needed, as "%0*llu" or "%*llu" would write it.
    TextBuffer& padded(std::uint64_t n, unsigned width, char pad = '0') {
        char digits[20];
        std::size_t k = sizeof digits;
        do {
            digits[--k] = static_cast<char>('0' + n % 10);
            n /= 10;
        } while (n != 0);
        while (k > 0 && sizeof digits - k < width) digits[--k] = pad;
        return *this << std::string_view(digits + k, sizeof digits - k);
    }

    // units / 10^decimals with `decimals` digits after the point: what
    // printf's "%.3f" gives for a count of thousandths (decimals 3), without
    // printf. With `trim`, trailing zeros go, and the point with them, as
    // "%g" writes a number of six or fewer significant digits. `decimals`
    // is at most 19 (10^19 is the largest power of ten in 64 bits).
    TextBuffer& decimal(std::uint64_t units, unsigned decimals, bool trim) {
        std::uint64_t scale = 1;
        for (unsigned i = 0; i < decimals; ++i) scale *= 10;
        *this << units / scale;
        std::uint64_t fraction = units % scale;
        if (decimals == 0 || (trim && fraction == 0)) return *this;
        unsigned width = decimals;
        for (; trim && fraction % 10 == 0; fraction /= 10) --width;
        return (*this << ".").padded(fraction, width);
    }

    std::size_t size() const { return used_; }
    bool empty() const { return used_ == 0; }
    const char* c_str() const { return out_; }

private:
    // Where to cut `s`, which does not fit after byte `n` (< s.size()): at
    // the start of the character byte `n` belongs to. Rare, so out of the
    // way of the common path.
    [[gnu::cold, gnu::noinline]] std::size_t cut(std::string_view s, std::size_t n) {
        while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
        room_ = used_ + n;
        return n;
    }

    char* out_;
    std::size_t room_;
    std::size_t used_ = 0;
};

}  // namespace sipresp
