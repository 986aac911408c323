// The starts of messages over TCP awaiting their rests, by place
// (awaiting_rests.h).
#include "catch.h"

#include "awaiting_rests.h"

using sipresp::AwaitingRests;

namespace {
constexpr std::uint32_t kCaller = 10, kCallee = 20;
}  // namespace

TEST_CASE("a start awaiting its rest is known by its place when the message is whole", "[awaiting]") {
    AwaitingRests awaiting;
    CHECK_FALSE(awaiting.rest_came(kCaller, kCallee, 5000));  // nothing awaits
    REQUIRE(awaiting.await(kCaller, kCallee, 5000, 7, true));

    SECTION("the same place, the same direction: the start, once") {
        const auto start = awaiting.rest_came(kCaller, kCallee, 5000);
        REQUIRE(start);
        CHECK(start->seq == 5000);
        CHECK(start->frame == 7);
        CHECK(start->request);
        CHECK_FALSE(awaiting.rest_came(kCaller, kCallee, 5000));
        CHECK(awaiting.size() == 0);
    }
    SECTION("another place, the other direction or another connection: not it") {
        CHECK_FALSE(awaiting.rest_came(kCaller, kCallee, 5001));
        CHECK_FALSE(awaiting.rest_came(kCallee, kCaller, 5000));
        CHECK_FALSE(awaiting.rest_came(kCaller, 21, 5000));
        CHECK(awaiting.rest_came(kCaller, kCallee, 5000));  // still there
    }
    SECTION("TCP's copy of the start's segment is no new start") {
        CHECK_FALSE(awaiting.await(kCaller, kCallee, 5000, 9, true));
        const auto start = awaiting.rest_came(kCaller, kCallee, 5000);
        REQUIRE(start);
        CHECK(start->frame == 7);  // the first copy's frame
    }
    SECTION("a newer start in the same direction takes the older one's place") {
        CHECK(awaiting.await(kCaller, kCallee, 6000, 12, false));
        CHECK_FALSE(awaiting.rest_came(kCaller, kCallee, 5000));
        const auto start = awaiting.rest_came(kCaller, kCallee, 6000);
        REQUIRE(start);
        CHECK(start->frame == 12);
        CHECK_FALSE(start->request);
    }
}

TEST_CASE("starts await on every connection at once, however many", "[awaiting]") {
    // (more than SplitMessages holds the bytes of: kParts)
    AwaitingRests awaiting;
    constexpr std::uint32_t kConnections = 200;
    for (std::uint32_t c = 0; c < kConnections; ++c) REQUIRE(awaiting.await(1000 + c, kCallee, 5000 + c, 100 + c, true));
    for (std::uint32_t c = 0; c < kConnections; ++c) {
        const auto start = awaiting.rest_came(1000 + c, kCallee, 5000 + c);
        REQUIRE(start);
        CHECK(start->frame == 100 + c);
    }
    CHECK(awaiting.size() == 0);
}

TEST_CASE("beyond the directions kept, a start still counts as new but is not kept", "[awaiting]") {
    AwaitingRests awaiting;
    for (std::uint32_t c = 0; c < AwaitingRests::kMaxDirections; ++c) awaiting.await(c, kCallee, 1, c + 1, true);
    REQUIRE(awaiting.size() == AwaitingRests::kMaxDirections);
    CHECK(awaiting.await(AwaitingRests::kMaxDirections, kCallee, 1, 99, true));
    CHECK(awaiting.size() == AwaitingRests::kMaxDirections);
    CHECK_FALSE(awaiting.rest_came(AwaitingRests::kMaxDirections, kCallee, 1));
    // a direction kept is still replaced in its place
    CHECK(awaiting.await(0, kCallee, 2, 100, true));
    CHECK(awaiting.rest_came(0, kCallee, 2));
}
