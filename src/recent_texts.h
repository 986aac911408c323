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
        if (digests_.empty()) return 0;
        const std::size_t i = slot(digest);
        return digests_[i] == digest && store.get(refs_[i]) == text ? refs_[i] : 0;
    }

    void remember(std::uint64_t digest, TextStore::Ref ref) {
        // start small and grow while texts keep coming: a small file costs
        // little, a big one gets the whole cache
        if (++remembered_ > digests_.size() && digests_.size() < kMaxEntries) grow();
        const std::size_t i = slot(digest);
        digests_[i] = digest;
        refs_[i] = ref;
    }

    std::size_t bytes() const {
        return digests_.capacity() * sizeof(std::uint64_t) + refs_.capacity() * sizeof(TextStore::Ref);
    }

private:
    void grow() {
        std::vector<std::uint64_t> old_digests(digests_.empty() ? 1024 : 2 * digests_.size(), 0);
        std::vector<TextStore::Ref> old_refs(old_digests.size(), 0);
        old_digests.swap(digests_);
        old_refs.swap(refs_);
        for (std::size_t j = 0; j < old_digests.size(); ++j)
            if (old_refs[j] != 0) digests_[slot(old_digests[j])] = old_digests[j], refs_[slot(old_digests[j])] = old_refs[j];
    }

    // digests are well mixed (KeyHash): the low bits pick the entry
    std::size_t slot(std::uint64_t digest) const { return static_cast<std::size_t>(digest) & (digests_.size() - 1); }

    std::vector<std::uint64_t> digests_;
    std::vector<TextStore::Ref> refs_;
    std::size_t remembered_ = 0;
};

}  // namespace sipresp
