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
#include <optional>
#include <vector>

namespace sipresp {

class RecentCopies {
public:
    static constexpr std::size_t kEntries = 4096;

    struct Copy {
        std::uint32_t frame = 0;
        std::int64_t time_ns = 0;
        // its TCP sequence number, when known (MessagePosition::tcp_seq)
        std::optional<std::uint32_t> tcp_seq;
    };

    // The last copy of `response` (a record number, not 0), if it is still
    // remembered.
    bool last_seen(std::uint32_t response, Copy& copy) const {
        if (entries_.empty()) return false;
        const Entry& e = entries_[response % kEntries];
        if (e.response != response) return false;
        copy.frame = e.frame;
        copy.time_ns = e.time_ns;
        copy.tcp_seq = e.has_tcp_seq ? std::optional<std::uint32_t>(e.tcp_seq) : std::nullopt;
        return true;
    }

    void seen(std::uint32_t response, const Copy& copy) {
        if (entries_.empty()) entries_.resize(kEntries);
        entries_[response % kEntries] = {response, copy.frame, copy.time_ns, copy.tcp_seq.value_or(0),
                                         copy.tcp_seq.has_value()};
    }

    std::size_t bytes() const { return entries_.capacity() * sizeof(Entry); }

private:
    // (flat, 24 bytes: a Copy inside would pad it to 32)
    struct Entry {
        std::uint32_t response = 0;
        std::uint32_t frame = 0;
        std::int64_t time_ns = 0;
        std::uint32_t tcp_seq = 0;
        bool has_tcp_seq = false;
    };
    std::vector<Entry> entries_;  // kEntries once a response is seen
};

}  // namespace sipresp
