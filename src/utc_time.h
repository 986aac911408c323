// A capture time written the way Wireshark writes an absolute time in UTC
// ("Nov  4, 2023 22:13:20.000000000 UTC": the day padded to two places with
// a space), without gmtime and printf. The -V tree writes one per target
// lifetime ("until ..."), and Wireshark's own abs_time_to_str spends some
// 4,900 instructions on each.
#pragma once

#include <cstdint>

#include "text_buffer.h"

namespace sipresp {

// Writes seconds since 1970-01-01 UTC plus `nanoseconds` (below 10^9) and
// returns true, for times from 1970 up to the end of year 9999; returns
// false and writes nothing for any other, which the caller leaves to
// Wireshark.
inline bool write_utc_time(TextBuffer& out, std::int64_t seconds, std::uint32_t nanoseconds) {
    constexpr std::int64_t kYear10000 = 253402300800;  // 10000-01-01T00:00:00Z
    if (seconds < 0 || seconds >= kYear10000 || nanoseconds >= 1'000'000'000) return false;
    const std::int64_t days = seconds / 86400;
    const std::int64_t in_day = seconds % 86400;
    // The date of a day number: counted from 0000-03-01 in eras of 400
    // Gregorian years (146097 days), March first, so that the leap day
    // ends a year.
    const std::int64_t from_march_0000 = days + 719468;
    const std::int64_t era = from_march_0000 / 146097;
    const std::int64_t day_of_era = from_march_0000 - era * 146097;                      // [0, 146096]
    const std::int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;  // [0, 399]
    const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;                   // [0, 11]
    const std::int64_t day = day_of_year - (153 * month_from_march + 2) / 5 + 1;          // [1, 31]
    const std::int64_t month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;  // [1, 12]
    const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);

    static constexpr const char* kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto in = [](std::int64_t n) { return static_cast<std::uint64_t>(n); };
    out << kMonths[month - 1] << " ";
    out.padded(in(day), 2, ' ') << ", " << in(year) << " ";
    out.padded(in(in_day / 3600), 2) << ":";
    out.padded(in(in_day / 60 % 60), 2) << ":";
    out.padded(in(in_day % 60), 2) << ".";
    out.padded(nanoseconds, 9) << " UTC";
    return true;
}

}  // namespace sipresp
