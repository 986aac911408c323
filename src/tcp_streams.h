// What a first pass learns of the TCP connections that carry SIP, so that
// a segment Wireshark hands to no dissector can still be learned from.
//
// With its default preferences Wireshark takes a segment whose bytes come
// before what it already saw of the stream for TCP's retransmission, and
// hands it to no dissector. That is right when the capture saw the bytes
// the first time; but when the first copy was lost before the capture point
// (a capture on a server, loss on the way to it), the resend is the only
// copy there is, and the SIP in it (an ACK, a BYE) is hidden: a tracker
// that never sees the ACK calls its 2xx unacknowledged. Such segments, on
// a connection SIP was seen on, are read by sipresp itself and given to the
// tracker to learn from (never shown); the messages it was already given,
// by their place in the stream, are left out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "flat_map.h"
#include "key_hash.h"

namespace sipresp {

class TcpStreams {
public:
    // Remembered places, in one direct-mapped table: a resend follows its
    // first copy within seconds, and a place pushed out by 16k newer ones
    // is only read once more, which a copy of a response tells apart
    // anyway (MessagePosition::tcp_seq).
    static constexpr std::size_t kPlaces = 16384;

    // `from`, `to`: the two ends' fingerprints (address and port), 0 when
    // unknown.
    void carries_sip(std::uint32_t from, std::uint32_t to) { connections_[connection(from, to)] = 1; }
    // Whether any connection carries SIP: in a capture of SIP over UDP
    // alone, the frames of other TCP traffic are asked nothing more.
    bool any() const { return connections_.size() != 0; }
    bool known(std::uint32_t from, std::uint32_t to) const {
        return connections_.size() != 0 && connections_.get(connection(from, to)) != 0;
    }

    // Whether the message at place `seq` of the stream from `from` to `to`
    // is new to the tracker; it is remembered either way.
    bool first_sight(std::uint32_t from, std::uint32_t to, std::uint32_t seq) {
        if (places_.empty()) places_.resize(kPlaces);
        const std::uint64_t key = place_key(from, to, seq);
        std::uint64_t& place = places_[key % kPlaces];
        const bool fresh = place != key;
        place = key;
        return fresh;
    }

    std::size_t bytes() const { return places_.capacity() * sizeof(std::uint64_t) + connections_.bytes(); }

private:
    static std::uint64_t place_key(std::uint32_t from, std::uint32_t to, std::uint32_t seq) {
        KeyHash h;
        const std::uint32_t parts[3] = {from, to, seq};
        h.add(std::string_view(reinterpret_cast<const char*>(parts), sizeof parts));
        return h.value() | 1;  // (0: an empty place)
    }
    // either way round
    static std::uint64_t connection(std::uint32_t a, std::uint32_t b) {
        const std::uint32_t ends[2] = {a < b ? a : b, a < b ? b : a};
        KeyHash h;
        h.add(std::string_view(reinterpret_cast<const char*>(ends), sizeof ends));
        return h.value();
    }
    DigestMap<std::uint8_t> connections_;
    std::vector<std::uint64_t> places_;  // kPlaces once a place is seen
};

}  // namespace sipresp
