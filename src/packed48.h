// 48 bits in 6 bytes, a 4-byte and a 2-byte half, for what the tracker
// keeps a million times over: a table slot's digest (flat_map.h) and a
// record's capture time (kept_time.h). Packed to 2-byte alignment, so that
// it sits in the packed records and slots without padding.
#pragma once

#include <cstdint>

namespace sipresp {

#pragma pack(push, 2)
struct Packed48 {
    std::uint32_t low = 0;
    std::uint16_t high = 0;

    // the low 48 bits of `v`
    static Packed48 of(std::uint64_t v) { return {static_cast<std::uint32_t>(v), static_cast<std::uint16_t>(v >> 32)}; }
    std::uint64_t value() const { return (std::uint64_t{high} << 32) | low; }
};
#pragma pack(pop)
static_assert(sizeof(Packed48) == 6 && alignof(Packed48) == 2);

}  // namespace sipresp
