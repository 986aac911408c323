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

    TextBuffer& operator<<(std::string_view s) {
        const std::size_t n = s.size() < room_ - used_ ? s.size() : room_ - used_;
        for (std::size_t i = 0; i < n; ++i) out_[used_ + i] = s[i];
        used_ += n;
        out_[used_] = '\0';
        return *this;
    }

    TextBuffer& operator<<(std::uint64_t n) {
        char digits[20];
        std::size_t k = sizeof digits;
        do {
            digits[--k] = static_cast<char>('0' + n % 10);
            n /= 10;
        } while (n != 0);
        return *this << std::string_view(digits + k, sizeof digits - k);
    }

    std::size_t size() const { return used_; }
    bool empty() const { return used_ == 0; }
    const char* c_str() const { return out_; }

private:
    char* out_;
    std::size_t room_;
    std::size_t used_ = 0;
};

}  // namespace sipresp
