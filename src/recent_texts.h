// Which texts the capture tracker kept lately, so that a text seen again
// (a Request-URI called call after call, a target then requested, the
// BYE to the Contact of its 2xx) is kept once. A direct-mapped cache, not
// a table of every text: a file of a million messages holds ~135k distinct
// URIs, whose full table cost more than the copies it saved. A text evicted
// from here and seen again is kept twice; nothing else changes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "text_store.h"

namespace sipresp {

class RecentTexts {
public:
    // At most this many entries (12 bytes each).
    static constexpr std::size_t kMaxEntries = 64 * 1024;

    // The kept copy of `text`, whose KeyHash is `digest`, if it is here; else 0.
    TextStore::Ref find(std::uint64_t digest, std::string_view text, const TextStore& store) const {
        if (entries_.empty()) return 0;
        const Entry& e = entries_[slot(digest)];
        return e.digest == digest && store.get(e.ref) == text ? e.ref : 0;
    }

    // Starts loading the entry find(digest, ...) reads (always inlined:
    // see DigestMap::prefetch).
    [[gnu::always_inline]] void prefetch(std::uint64_t digest) const {
        if (!entries_.empty()) __builtin_prefetch(&entries_[slot(digest)]);
    }

    void remember(std::uint64_t digest, TextStore::Ref ref) {
        // start small and grow while texts keep coming: a small file costs
        // little, a big one gets the whole cache
        if (++remembered_ > entries_.size() && entries_.size() < kMaxEntries) grow();
        entries_[slot(digest)] = Entry{digest, ref};
    }

    std::size_t bytes() const {
        return entries_.capacity() * sizeof(Entry);
    }

private:
    // digest and reference side by side: one cache line per question
#pragma pack(push, 4)
    struct Entry {
        std::uint64_t digest = 0;
        TextStore::Ref ref = 0;
    };
#pragma pack(pop)

    void grow() {
        std::vector<Entry> old(entries_.empty() ? 1024 : 2 * entries_.size());
        old.swap(entries_);
        for (const Entry& e : old)
            if (e.ref != 0) entries_[slot(e.digest)] = e;
    }

    // digests are well mixed (KeyHash): the low bits pick the entry
    std::size_t slot(std::uint64_t digest) const { return static_cast<std::size_t>(digest) & (entries_.size() - 1); }

    std::vector<Entry> entries_;
    std::size_t remembered_ = 0;
};

}  // namespace sipresp
