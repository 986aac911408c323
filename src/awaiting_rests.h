// The starts of SIP messages over TCP that went on past their segment, each
// awaiting the rest that makes it whole, by its place in the stream.
//
// Until its rest comes, such a start is a message sipresp could not read
// (a request a later response may be missing: CaptureTracker::awaits_rest);
// once Wireshark puts the message together at that place, it no longer is.
// SplitMessages holds the starts' bytes too, but only a few and not the
// large ones; the place is all it takes to know the rest came, so it is
// kept here apart, for every connection: a trunk has a message cut at a
// segment's end on many connections at once.
//
// A direction of a connection has one start awaiting at most: TCP gives a
// stream in order, and a start is the last message of its segment. A newer
// start in the same direction takes the place of an older one whose rest
// never came (that one stays unread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>

namespace sipresp {

class AwaitingRests {
public:
    // (a hostile capture could open a connection per frame: beyond this,
    // a new direction's start is not kept, and stays unread)
    static constexpr std::size_t kMaxDirections = 65536;

    struct Start {
        std::uint32_t seq = 0;  // the place of its first byte
        std::uint32_t frame = 0;  // where it was met
        bool request = false;
    };

    // The start at place `seq` of the stream from `from` to `to` (the two
    // ends' fingerprints), met in `frame`, awaits its rest. False when that
    // place awaits already (TCP sent the start's segment again): it is not
    // to be counted twice. A start not kept (kMaxDirections, or out of
    // memory) is new all the same, and its rest is never known to come.
    bool await(std::uint32_t from, std::uint32_t to, std::uint32_t seq, std::uint32_t frame, bool request) noexcept {
        const std::uint64_t key = direction(from, to);
        const auto at = starts_.find(key);
        if (at != starts_.end()) {
            if (at->second.seq == seq) return false;
            at->second = Start{seq, frame, request};
            return true;
        }
        if (starts_.size() >= kMaxDirections) return true;
        try {
            starts_.emplace(key, Start{seq, frame, request});
        } catch (...) {
        }
        return true;
    }

    // The message at place `seq` is whole now: the start that awaited its
    // rest there, no longer kept, or none.
    std::optional<Start> rest_came(std::uint32_t from, std::uint32_t to, std::uint32_t seq) noexcept {
        if (starts_.empty()) return std::nullopt;
        const auto at = starts_.find(direction(from, to));
        if (at == starts_.end() || at->second.seq != seq) return std::nullopt;
        const Start start = at->second;
        starts_.erase(at);
        return start;
    }

    std::size_t size() const { return starts_.size(); }

private:
    static std::uint64_t direction(std::uint32_t from, std::uint32_t to) {
        return static_cast<std::uint64_t>(from) << 32 | to;
    }
    std::unordered_map<std::uint64_t, Start> starts_;
};

}  // namespace sipresp
