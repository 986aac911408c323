// A capture time as the tracker's records keep it: the low 48 bits of its
// nanoseconds (6 bytes, not 8), read back next to another time of the same
// call. A million requests and finals keep one each, and these 2 bytes a
// record were 3.6 MB of the 120 the tracker held at 3 million messages.
//
// Every time a record keeps is only ever read to take it from, or add it
// to, a time of the same call (a response time, an ACK's delay, how long
// after a redirect a target was tried): the value kept is the one time
// that has these 48 bits and lies nearest that other time. That is exact
// while the two are less than 2^47 ns (39 hours) apart; a pair further
// apart would read 2^48 ns (78 hours) off. Times that may be compared
// across calls, days apart (a redirect's, for a target cached since), are
// kept whole.
#pragma once

#include <cstdint>

#include "packed48.h"

namespace sipresp {

#pragma pack(push, 2)
struct KeptTime {
    Packed48 bits;

    static KeptTime of(std::int64_t ns) { return {Packed48::of(static_cast<std::uint64_t>(ns))}; }

    // The time with the kept 48 bits nearest `reference` (see above).
    std::int64_t near(std::int64_t reference) const {
        constexpr std::uint64_t kSpan = std::uint64_t{1} << 48;
        // how far the kept time lies after the reference, modulo 2^48,
        // taken into (-2^47, 2^47]; unsigned sums wrap, signed ones must not
        std::uint64_t after = (bits.value() - static_cast<std::uint64_t>(reference)) & (kSpan - 1);
        if (after > kSpan / 2) after -= kSpan;
        return static_cast<std::int64_t>(static_cast<std::uint64_t>(reference) + after);
    }
};
#pragma pack(pop)
static_assert(sizeof(KeptTime) == 6 && alignof(KeptTime) == 2);

}  // namespace sipresp
