// The records the capture tracker keeps for a whole file, in chunks of a
// fixed size. A std::vector that doubles holds its old and its new array at
// once while it copies, and then leaves up to half of the new one unused:
// on a file of a million messages that was a fifth of sipresp's memory.
// Here growing adds one chunk and copies nothing, and an element never moves
// (references to it stay valid until clear).
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

namespace sipresp {

template <typename T>
class ChunkedVector {
    // Chunks are raw bytes, each element written once, by push_back (below).
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
    static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);

public:
    // Elements per chunk: a power of two (an index splits with a shift and a
    // mask) filling about 64 KiB, small enough to waste little at the end.
    static constexpr std::size_t kPerChunk = [] {
        std::size_t n = 1;
        while (n * 2 * sizeof(T) <= 64 * 1024) n *= 2;
        return n;
    }();

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    T& operator[](std::size_t i) { return *std::launder(reinterpret_cast<T*>(at(i))); }
    const T& operator[](std::size_t i) const { return *std::launder(reinterpret_cast<const T*>(at(i))); }
    T& back() { return (*this)[size_ - 1]; }
    const T& back() const { return (*this)[size_ - 1]; }

    // A new chunk is not filled first: on a file of millions of records,
    // where a chunk fills over seconds, its lines were written by the fill,
    // pushed out of the cache, and read back for each record's own write.
    void push_back(const T& value) {
        if (size_ == chunks_.size() * kPerChunk) chunks_.emplace_back(new std::byte[kPerChunk * sizeof(T)]);
        ::new (static_cast<void*>(at(size_))) T(value);
        ++size_;
    }

    // Puts `value` at index i, moving the elements from i on one place up.
    // Linear, like std::vector::insert; the tracker needs it only for the
    // rare message met out of order.
    void insert(std::size_t i, const T& value) {
        push_back(value);
        for (std::size_t j = size_ - 1; j > i; --j) (*this)[j] = (*this)[j - 1];
        (*this)[i] = value;
    }

    // Gives all the memory back.
    void clear() {
        std::vector<Chunk>().swap(chunks_);
        size_ = 0;
    }

    // Bytes held, for the benchmark's report.
    std::size_t bytes() const {
        return chunks_.size() * kPerChunk * sizeof(T) + chunks_.capacity() * sizeof(Chunk);
    }

private:
    using Chunk = std::unique_ptr<std::byte[]>;
    // Where element i lives (its chunk must exist).
    std::byte* at(std::size_t i) const { return chunks_[i / kPerChunk].get() + i % kPerChunk * sizeof(T); }

    std::vector<Chunk> chunks_;
    std::size_t size_ = 0;
};

}  // namespace sipresp
