// A frame's capture time as the tracker takes it: nanoseconds since 1970,
// kept between 0 and kLatestCaptureNs (2^62 ns, early in 2116). A capture
// file can hold any 64-bit time (a pcapng interface counting whole seconds
// reaches 2^64 of them), and seconds times 10^9 past 2^63 do not fit an
// int64_t: a hostile file would make the multiplication itself undefined.
// Inside these bounds every sum the tracker makes does fit: two times
// differ by under 2^62, and a lifetime (at most 2^32-1 s, under 2^62 ns)
// taken from that difference stays above -2^63. Times before 1970 come
// only from broken files; they are taken as 1970.
#pragma once

#include <cstdint>

namespace sipresp {

inline constexpr std::int64_t kLatestCaptureNs = std::int64_t{1} << 62;

// `nanoseconds` as a capture file's record gives it, normally [0, 10^9).
constexpr std::int64_t capture_time_ns(std::int64_t seconds, std::int64_t nanoseconds) {
    constexpr std::int64_t kSecond = 1'000'000'000;
    if (seconds < 0) return 0;
    if (seconds >= kLatestCaptureNs / kSecond) return kLatestCaptureNs;
    // (at most 4,611,686,017.999999999 s here: under 2^62 ns)
    return seconds * kSecond + (nanoseconds < 0 ? 0 : nanoseconds < kSecond ? nanoseconds : kSecond - 1);
}

}  // namespace sipresp
