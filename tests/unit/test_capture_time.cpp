// capture_time_ns (capture_time.h): a record's time in nanoseconds, kept
// inside the bounds the tracker's sums are safe in.
#include "catch.h"

#include "call_flow.h"
#include "capture_time.h"

using namespace sipresp;
using namespace sipresp::test;

TEST_CASE("a capture time in range is its seconds and nanoseconds", "[time]") {
    CHECK(capture_time_ns(0, 0) == 0);
    CHECK(capture_time_ns(1'700'000'000, 123'456'789) == 1'700'000'000'123'456'789);
    // 2^62 ns is 4,611,686,018.427387904 s: the last whole second under it
    CHECK(capture_time_ns(4'611'686'017, 999'999'999) == 4'611'686'017'999'999'999);
}

TEST_CASE("a capture time out of range is kept at the nearest bound, never overflowing", "[time]") {
    CHECK(capture_time_ns(-1, 0) == 0);
    CHECK(capture_time_ns(-9'223'372'036'854'775'807 - 1, 0) == 0);
    CHECK(capture_time_ns(4'611'686'018, 0) == kLatestCaptureNs);
    CHECK(capture_time_ns(4'611'686'018, 427'387'903) == kLatestCaptureNs);  // (the bound itself)
    CHECK(capture_time_ns(9'223'372'032'559'808'512, 0) == kLatestCaptureNs);  // a pcapng in seconds, 2^63 - 2^32
    CHECK(capture_time_ns(9'223'372'036'854'775'807, 999'999'999) == kLatestCaptureNs);
    // a record's nanoseconds outside [0, 10^9) stay inside its second
    CHECK(capture_time_ns(10, -5) == 10'000'000'000);
    CHECK(capture_time_ns(10, 4'000'000'000) == 10'999'999'999);
}

TEST_CASE("the tracker's sums stay defined at the bounds of capture time", "[time][tracking]") {
    // A target with the longest lifetime (2^32-1 s), reused as a new call:
    // once 2^62 ns after the 302 (since - lifetime stays far under 2^63),
    // once 2^62 ns before it (a file's times going backwards: since is
    // -2^62, and minus the lifetime -8.9e18, still above -2^63). Under
    // UBSan (the test command's sanitized build) an overflow fails here.
    const std::string longest = "Contact: <sip:bob@192.0.2.4>;expires=4294967295\n";
    constexpr std::int64_t kFirstMs = -1'700'000'000'000;                        // Flow's 0 ms is 1.7e18 ns
    constexpr std::int64_t kLastMs = (kLatestCaptureNs - 1'700'000'000'000'000'000) / 1'000'000 - 100;
    for (bool forward : {true, false}) {
        Flow f;
        Caller first, second;
        second.call_id = "call-2@192.0.2.1";
        second.from_tag = "f2";
        const std::int64_t redirect_ms = forward ? kFirstMs : kLastMs, reuse_ms = forward ? kLastMs : kFirstMs;
        f.at(redirect_ms, sip_request("INVITE", "sip:bob@example.com", first, 1, "z9hG4bK-1"));
        const auto r302 = f.at(redirect_ms + 10, sip_response("302 Moved Temporarily", "INVITE", first, 1, "z9hG4bK-1",
                                                              "rs", longest));
        const auto reuse = f.at(reuse_ms, sip_request("INVITE", "sip:bob@192.0.2.4", second, 1, "z9hG4bK-2"));
        f.run();
        const SequenceFinding* late = finding(f.first(reuse), RuleId::used_after_expiry);
        const std::int64_t redirect_ns = 1'700'000'000'000'000'000 + (redirect_ms + 10) * 1'000'000;
        const std::int64_t reuse_ns = 1'700'000'000'000'000'000 + reuse_ms * 1'000'000;
        if (forward) {
            // some 146 years after the 302, far past its 136-year lifetime:
            // overdue by the difference less the lifetime
            REQUIRE(late != nullptr);
            CHECK(late->frame == r302);
            CHECK(late->delta_ns == reuse_ns - redirect_ns - std::int64_t{4294967295} * 1'000'000'000);
        } else {
            // before the redirect in time, after it in the file: within
            // Timer B of it by the clock, so the caller still following it.
            // (Its delay is not checked: a request keeps 48 bits of its
            // time, exact within 39 hours of the redirect's, kept_time.h.)
            CHECK(late == nullptr);
            CHECK(f.first(reuse).sequence.redirected_by == r302);
            CHECK(reuse_ns < redirect_ns);
        }
    }
}
