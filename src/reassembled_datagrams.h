// Which fragmented UDP datagrams a frame of the capture completed, learned
// on the first pass, so that a later pass (the GUI, tshark -2) can tell a
// first fragment whose datagram Wireshark reassembled from one whose other
// fragments were never captured (first_fragment.h). Only datagrams that
// carried SIP are noted: a few in any capture, so a plain hash map.
#pragma once

#include <cstdint>
#include <unordered_map>

namespace sipresp {

class ReassembledDatagrams {
public:
    // `frame` completed the datagram `key` (ip_fragment_datagram). The
    // first frame to do so is kept: a datagram sent again with the same
    // identification is another copy of the same bytes.
    void completed(std::uint64_t key, std::uint32_t frame) noexcept {
        if (key == 0) return;
        try {
            completed_in_.emplace(key, frame);
        } catch (...) {
            // no memory: the datagram stays unknown, never called lost
            unknown_ = true;
        }
    }

    enum class Fate : std::uint8_t { reassembled, never_completed, unknown };

    // What became of datagram `key`, asked once the whole capture was read;
    // `frame` is set when it was reassembled.
    Fate fate(std::uint64_t key, std::uint32_t& frame) const noexcept {
        const auto it = completed_in_.find(key);
        if (it != completed_in_.end()) {
            frame = it->second;
            return Fate::reassembled;
        }
        return key == 0 || unknown_ ? Fate::unknown : Fate::never_completed;
    }

    void reset() noexcept {
        completed_in_.clear();
        unknown_ = false;
    }

private:
    std::unordered_map<std::uint64_t, std::uint32_t> completed_in_;
    bool unknown_ = false;
};

}  // namespace sipresp
