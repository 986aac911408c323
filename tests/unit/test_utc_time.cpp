// write_utc_time (utc_time.h) against the C library's gmtime and strftime,
// written the way Wireshark prints an absolute UTC time.
#include "catch.h"

#include <cstdio>
#include <ctime>
#include <string>

#include "utc_time.h"

using namespace sipresp;

namespace {

std::string written(std::int64_t seconds, std::uint32_t nanoseconds) {
    char out[64];
    TextBuffer text(out, sizeof out);
    if (!write_utc_time(text, seconds, nanoseconds)) return "(not written)";
    return out;
}

// "%b %e, %Y %H:%M:%S" is Wireshark's "%s %2d, %d %02d:%02d:%02d" in the C locale
std::string reference(std::int64_t seconds, std::uint32_t nanoseconds) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm parts{};
    gmtime_r(&t, &parts);
    char date[64], out[96];
    std::strftime(date, sizeof date, "%b %e, %Y %H:%M:%S", &parts);
    std::snprintf(out, sizeof out, "%s.%09u UTC", date, nanoseconds);
    return out;
}

}  // namespace

TEST_CASE("a UTC time is written as Wireshark writes it", "[utc]") {
    CHECK(written(1700000000, 40000000) == "Nov 14, 2023 22:13:20.040000000 UTC");
    CHECK(written(0, 0) == "Jan  1, 1970 00:00:00.000000000 UTC");
    CHECK(written(951782400, 7) == "Feb 29, 2000 00:00:00.000000007 UTC");  // 2000 is a leap year
    CHECK(written(253402300799, 999999999) == "Dec 31, 9999 23:59:59.999999999 UTC");
}

TEST_CASE("a UTC time equals gmtime's on every day boundary and in between", "[utc]") {
    // every day of 1970-2100 at two times of day, leap years and centuries included
    for (std::int64_t day = 0; day < 47847; ++day) {
        for (const std::int64_t second : {std::int64_t{0}, std::int64_t{86399}}) {
            const std::int64_t t = day * 86400 + second;
            INFO(t);
            REQUIRE(written(t, 123456789) == reference(t, 123456789));
        }
    }
    // a spread of times up to the year 9999
    for (std::int64_t t = 0; t < 253402300800; t += 99999989) {
        INFO(t);
        REQUIRE(written(t, 5) == reference(t, 5));
    }
}

TEST_CASE("times outside 1970-9999 or with a bad fraction are left to Wireshark", "[utc]") {
    CHECK(written(-1, 0) == "(not written)");
    CHECK(written(253402300800, 0) == "(not written)");
    CHECK(written(0, 1000000000) == "(not written)");
}
