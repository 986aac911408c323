// A record's 6-byte capture time, read back next to a time of its call.
#include "catch.h"

#include "kept_time.h"

using sipresp::KeptTime;

namespace {
constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kHour = 3600 * kSecond;
constexpr std::int64_t k2p47 = std::int64_t{1} << 47;  // 39.09 hours
// 2026-12-02 00:00:00.123456789 UTC: far past 2^48 ns, so the high bits
// of a real capture time are not kept
constexpr std::int64_t kNow = 1'796'169'600 * kSecond + 123'456'789;
}  // namespace

TEST_CASE("KeptTime gives a capture time back exactly next to a time of the same call", "[storage]") {
    const KeptTime kept = KeptTime::of(kNow);
    CHECK(kept.near(kNow) == kNow);
    CHECK(kept.near(kNow + 12'000'000) == kNow);  // its response 12 ms later
    CHECK(kept.near(kNow - 5 * kSecond) == kNow);
    CHECK(kept.near(kNow + 39 * kHour) == kNow);  // 39 hours either way: still exact
    CHECK(kept.near(kNow - 39 * kHour) == kNow);
    CHECK(kept.near(kNow + k2p47 - 1) == kNow);
}

TEST_CASE("KeptTime is exact across a wrap of its 48 bits and before 1970", "[storage]") {
    // the 48 kept bits roll over between the two times
    const std::int64_t before_wrap = (std::int64_t{6381} << 48) - 10;
    CHECK(KeptTime::of(before_wrap).near(before_wrap + 20) == before_wrap);
    CHECK(KeptTime::of(before_wrap + 20).near(before_wrap) == before_wrap + 20);
    // pcap times are signed: a time before the epoch reads back the same
    CHECK(KeptTime::of(-5 * kSecond).near(-4 * kSecond) == -5 * kSecond);
    CHECK(KeptTime::of(kSecond).near(-kSecond) == kSecond);
}

TEST_CASE("KeptTime reads 2^48 ns off past 2^47 ns from its reference: the price of 6 bytes", "[storage]") {
    const std::int64_t span = std::int64_t{1} << 48;
    // one nanosecond past half the span, the other candidate is nearer
    CHECK(KeptTime::of(kNow).near(kNow + k2p47 + 1) == kNow + span);
    CHECK(KeptTime::of(kNow).near(kNow - k2p47 - 1) == kNow - span);
}
