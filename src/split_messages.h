// The two parts of a SIP message that TCP carried in two segments, when
// Wireshark never put them together: the second (or both) came in a segment
// it hands to no dissector (TcpStreams), a resend whose first copy the
// capture never saw. tcp_loss.pcap has both shapes: a BYE begun in a frame
// SIP shows and ended in such a resend (frames 199 and 210), and an INVITE
// whose two segments were both such resends, captured in reverse order
// (frames 237 and 227). Each part is held until the other comes; the
// message is then read whole (the plugin gives it to the tracker, unshown).
//
// The start of every message that runs past its segment's end is held,
// most only until Wireshark itself puts the message together in the next
// segment (take_start). Few parts are held, and each only so long: a part
// whose other half never comes is pushed out by newer ones.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sipresp {

class SplitMessages {
public:
    // (a busy trunk has a message cut by a segment's end on many of its
    // connections at once)
    static constexpr std::size_t kParts = 32;
    // a message larger than this is not joined (SIP over TCP has no limit;
    // real ones are a few KB)
    static constexpr std::size_t kMaxBytes = 16384;

    struct Joined {
        std::string text;  // the first part, then the second
        std::uint32_t seq = 0;  // the place of its first byte
        std::uint32_t start_frame = 0;  // the frame of the first part
    };

    // `from`, `to`: the two ends' fingerprints; `seq`: the place of the
    // part's first byte in that stream.
    // `frame`: the part's frame.
    // The start of a message that runs to its segment's end, not whole.
    // `may_join` false: held only, for a rest that comes later.
    bool hold_start(std::uint32_t from, std::uint32_t to, std::uint32_t seq, std::uint32_t frame,
                    std::string_view bytes, Joined& out, bool may_join = true) {
        return hold(Part{from, to, seq, frame, true, std::string()}, bytes, out, may_join);
    }
    // A segment that begins inside a message (with what follows it).
    bool hold_rest(std::uint32_t from, std::uint32_t to, std::uint32_t seq, std::uint32_t frame,
                   std::string_view bytes, Joined& out) {
        return hold(Part{from, to, seq, frame, false, std::string()}, bytes, out, true);
    }

    // The held start at place `seq`, now seen whole in one piece (a buffer
    // Wireshark reassembled): dropped; returns its frame, 0 when none is
    // held.
    std::uint32_t take_start(std::uint32_t from, std::uint32_t to, std::uint32_t seq) {
        if (held_ == 0) return 0;
        for (Part& p : parts_) {
            if (p.empty() || !p.start || p.from != from || p.to != to || p.seq != seq) continue;
            const std::uint32_t frame = p.frame;
            drop(p);
            return frame;
        }
        return 0;
    }

private:
    struct Part {
        std::uint32_t from = 0, to = 0, seq = 0, frame = 0;
        bool start = false;
        std::string bytes;
        std::uint64_t age = 0;  // when it was held (added_)
        bool empty() const { return bytes.empty(); }
        std::uint32_t end() const { return seq + static_cast<std::uint32_t>(bytes.size()); }  // (mod 2^32)
    };

    // Joins `part` with the held part it continues or is continued by, or
    // holds it (pushing out the oldest). True, with `out`, when joined.
    bool hold(Part part, std::string_view bytes, Joined& out, bool may_join) {
        if (bytes.empty() || bytes.size() > kMaxBytes) return false;
        for (Part& other : parts_) {
            if (!may_join) break;
            if (other.empty() || other.start == part.start || other.from != part.from || other.to != part.to) continue;
            const bool joins = part.start ? part.seq + static_cast<std::uint32_t>(bytes.size()) == other.seq
                                          : other.end() == part.seq;
            if (!joins || other.bytes.size() + bytes.size() > 2 * kMaxBytes) continue;
            // the start first, whichever part came last
            const Part& start = part.start ? part : other;
            out.text.assign(part.start ? bytes : std::string_view(other.bytes));
            out.text += part.start ? std::string_view(other.bytes) : bytes;
            out.seq = start.seq;
            out.start_frame = start.frame;
            drop(other);
            return true;
        }
        part.bytes.assign(bytes);
        part.age = ++added_;
        // an empty place, else the oldest part's
        Part* place = &parts_[0];
        for (Part& p : parts_) {
            if (p.empty()) {
                place = &p;
                break;
            }
            if (p.age < place->age) place = &p;
        }
        if (place->empty()) ++held_;
        *place = std::move(part);
        return false;
    }

    void drop(Part& p) {
        p = Part();
        --held_;
    }

    Part parts_[kParts];
    std::uint64_t added_ = 0;
    std::size_t held_ = 0;  // parts not empty
};

}  // namespace sipresp
