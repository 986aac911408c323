// When the last copy of each recent final response was seen, for telling a
// packet captured twice (copies under a millisecond apart) from a
// retransmission (T1, 500 ms, by default). Only the last few thousand
// responses are remembered: a duplicate follows its twin within a few
// frames, and a response pushed out of here by thousands of newer ones was
// seen long enough ago that its next copy is a retransmission. Keeping the
// time in every response's record cost 8 bytes each for the whole file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sipresp {

class RecentCopies {
public:
    static constexpr std::size_t kEntries = 4096;

    // The time and frame of the last copy of `response` (a record number,
    // not 0), if it is still remembered.
    bool last_seen(std::uint32_t response, std::int64_t& time_ns, std::uint32_t& frame) const {
        if (entries_.empty()) return false;
        const Entry& e = entries_[response % kEntries];
        if (e.response != response) return false;
        time_ns = e.time_ns;
        frame = e.frame;
        return true;
    }

    void seen(std::uint32_t response, std::uint32_t frame, std::int64_t time_ns) {
        if (entries_.empty()) entries_.resize(kEntries);
        entries_[response % kEntries] = {response, frame, time_ns};
    }

    std::size_t bytes() const { return entries_.capacity() * sizeof(Entry); }

private:
    struct Entry {
        std::uint32_t response = 0;
        std::uint32_t frame = 0;
        std::int64_t time_ns = 0;
    };
    std::vector<Entry> entries_;  // kEntries once a response is seen
};

}  // namespace sipresp
