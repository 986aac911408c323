// The strings the capture tracker keeps for a file (Request-URIs, target
// URIs, methods), each reachable from a 4-byte reference. Kept in chunks of
// 64 KiB that never move, for the reason ChunkedVector gives: one growing
// array held its old and new copies at once and a quarter of it unused.
// Each text is stored with its length first, seven bits a byte, the high bit
// set on every byte but the last (LEB128): one byte for most URIs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace sipresp {

class TextStore {
public:
    // A reference: chunk index in the high 16 bits, offset in the low 16.
    // 0 is the empty text.
    using Ref = std::uint32_t;
    static constexpr std::size_t kChunkBytes = 64 * 1024;

    // Keeps a copy of `text`. Past 65535 chunks (4 GiB) it keeps nothing
    // more and returns 0.
    Ref add(std::string_view text) {
        if (text.empty() || text.size() > UINT32_MAX) return 0;
        unsigned char length[5];
        std::size_t length_bytes = 0;
        std::size_t n = text.size();
        for (; n >= 0x80; n >>= 7) length[length_bytes++] = static_cast<unsigned char>(0x80 | (n & 0x7f));
        length[length_bytes++] = static_cast<unsigned char>(n);
        const std::size_t need = length_bytes + text.size();
        if (chunks_.empty()) {
            add_chunk(kChunkBytes);
            used_ = 1;  // chunk 0 starts with the empty text: no text gets the reference 0
        }
        if (used_ + need > kChunkBytes) {
            // a text longer than a chunk gets a chunk of its own size
            if (chunks_.size() > 0xffff) return 0;
            add_chunk(need > kChunkBytes ? need : kChunkBytes);
            used_ = 0;
        }
        const Ref ref = static_cast<Ref>(((chunks_.size() - 1) << 16) | used_);
        char* at = chunks_.back().get() + used_;
        std::memcpy(at, length, length_bytes);
        std::memcpy(at + length_bytes, text.data(), text.size());
        // after a text longer than a chunk, its chunk is full
        used_ = need > kChunkBytes ? kChunkBytes : used_ + need;
        return ref;
    }

    std::string_view get(Ref ref) const {
        if (ref == 0) return {};
        const char* at = chunks_[ref >> 16].get() + (ref & 0xffff);
        std::size_t length = 0;
        for (int shift = 0;; shift += 7) {
            const auto byte = static_cast<unsigned char>(*at++);
            length |= std::size_t{byte & 0x7fu} << shift;
            if ((byte & 0x80) == 0) break;
        }
        return {at, length};
    }

    // Bytes held, for the benchmark's report.
    std::size_t bytes() const { return held_ + chunks_.capacity() * sizeof(std::unique_ptr<char[]>); }

private:
    void add_chunk(std::size_t size) {
        chunks_.push_back(std::make_unique<char[]>(size));
        held_ += size;
    }

    std::vector<std::unique_ptr<char[]>> chunks_;
    std::size_t used_ = 0;  // bytes used in the last chunk
    std::size_t held_ = 0;
};

}  // namespace sipresp
