// Joining a SIP message's two parts from two TCP segments (split_messages.h).
#include "catch.h"

#include <string>

#include "split_messages.h"

using sipresp::SplitMessages;

namespace {
const std::string kAck = "ACK sip:bob@192.0.2.4 SIP/2.0\r\nCall-ID: a\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
constexpr std::uint32_t kCaller = 10, kCallee = 20;
}  // namespace

TEST_CASE("a message's start and its rest, held from two segments, are read as one", "[split]") {
    const std::string start = kAck.substr(0, 30), rest = kAck.substr(30) + "BYE sip:b";
    SplitMessages::Joined joined;
    SECTION("either part first (the rest first: segments captured in reverse order)") {
        for (const bool start_first : {true, false}) {
            INFO("start first: " << start_first);
            SplitMessages split;
            const auto hold_start = [&] { return split.hold_start(kCaller, kCallee, 5000, 3, start, joined); };
            const auto hold_rest = [&] { return split.hold_rest(kCaller, kCallee, 5030, 4, rest, joined); };
            const bool held_first = start_first ? hold_start() : hold_rest();
            CHECK_FALSE(held_first);
            REQUIRE((start_first ? hold_rest() : hold_start()));
            CHECK(joined.text == kAck + "BYE sip:b");
            CHECK(joined.seq == 5000);
            CHECK(joined.start_frame == 3);  // where the message began
        }
    }
    SECTION("a start held only (may_join false) waits for a later rest, not an earlier one") {
        SplitMessages split;
        CHECK_FALSE(split.hold_rest(kCaller, kCallee, 5030, 4, rest, joined));
        CHECK_FALSE(split.hold_start(kCaller, kCallee, 5000, 3, start, joined, false));
        SplitMessages later;
        CHECK_FALSE(later.hold_start(kCaller, kCallee, 5000, 3, start, joined, false));
        CHECK(later.hold_rest(kCaller, kCallee, 5030, 4, rest, joined));
    }
    SECTION("across the wrap of sequence numbers") {
        SplitMessages split;
        CHECK_FALSE(split.hold_start(kCaller, kCallee, 0xFFFFFFF0u, 3, start, joined));
        REQUIRE(split.hold_rest(kCaller, kCallee, 0xFFFFFFF0u + 30u, 4, rest, joined));
        CHECK(joined.seq == 0xFFFFFFF0u);
        CHECK(joined.text.size() == kAck.size() + 9);
    }
    SECTION("a part is joined once: its other half again finds nothing") {
        SplitMessages split;
        CHECK_FALSE(split.hold_start(kCaller, kCallee, 5000, 3, start, joined));
        REQUIRE(split.hold_rest(kCaller, kCallee, 5030, 4, rest, joined));
        CHECK_FALSE(split.hold_rest(kCaller, kCallee, 5030, 4, rest, joined));
    }
}

TEST_CASE("parts that do not meet are not joined", "[split]") {
    const std::string start = kAck.substr(0, 30), rest = kAck.substr(30);
    SplitMessages::Joined joined;
    SplitMessages split;
    CHECK_FALSE(split.hold_start(kCaller, kCallee, 5000, 3, start, joined));
    // a gap of one byte, an overlap of one, the other direction, another connection
    CHECK_FALSE(split.hold_rest(kCaller, kCallee, 5031, 4, rest, joined));
    CHECK_FALSE(split.hold_rest(kCaller, kCallee, 5029, 4, rest, joined));
    CHECK_FALSE(split.hold_rest(kCallee, kCaller, 5030, 4, rest, joined));
    CHECK_FALSE(split.hold_rest(kCaller, 21, 5030, 4, rest, joined));
    // two starts never join each other, nor two rests
    CHECK_FALSE(split.hold_start(kCaller, kCallee, 5030, 3, rest, joined));
    SplitMessages other;
    CHECK_FALSE(other.hold_rest(kCaller, kCallee, 5030, 4, rest, joined));
    CHECK_FALSE(other.hold_rest(kCaller, kCallee, 5030 + static_cast<std::uint32_t>(rest.size()), 4, rest, joined));
    // an empty part and one over the limit are not held
    SplitMessages limits;
    CHECK_FALSE(limits.hold_start(kCaller, kCallee, 100, 3, "", joined));
    CHECK_FALSE(limits.hold_rest(kCaller, kCallee, 100, 4, rest, joined));
    const std::string huge(SplitMessages::kMaxBytes + 1, 'x');
    CHECK_FALSE(limits.hold_start(kCaller, kCallee, 100 - static_cast<std::uint32_t>(huge.size()), 3, huge, joined));
}

TEST_CASE("only the newest parts are held", "[split]") {
    // a part whose other half never comes is pushed out by newer ones
    const std::string start = kAck.substr(0, 30), rest = kAck.substr(30);
    SplitMessages::Joined joined;
    SplitMessages split;
    CHECK_FALSE(split.hold_start(kCaller, kCallee, 5000, 3, start, joined));
    for (std::uint32_t i = 0; i < SplitMessages::kParts; ++i)
        CHECK_FALSE(split.hold_start(kCaller, kCallee, 90000 + 1000 * i, 3, start, joined));
    CHECK_FALSE(split.hold_rest(kCaller, kCallee, 5030, 4, rest, joined));
    // while one held among fewer newer parts still joins
    SplitMessages kept;
    CHECK_FALSE(kept.hold_start(kCaller, kCallee, 5000, 3, start, joined));
    for (std::uint32_t i = 0; i + 1 < SplitMessages::kParts; ++i)
        CHECK_FALSE(kept.hold_start(kCaller, kCallee, 90000 + 1000 * i, 3, start, joined));
    CHECK(kept.hold_rest(kCaller, kCallee, 5030, 4, rest, joined));
}

TEST_CASE("a held start seen whole in one piece is taken back, once, by its place alone", "[split]") {
    // Wireshark put the message together itself (the usual case): the start
    // held for a hidden rest is dropped, and its frame named
    const std::string start = kAck.substr(0, 30), rest = kAck.substr(30);
    SplitMessages::Joined joined;
    SplitMessages split;
    CHECK(split.take_start(kCaller, kCallee, 5000) == 0);  // nothing held
    CHECK_FALSE(split.hold_start(kCaller, kCallee, 5000, 3, start, joined, false));
    CHECK_FALSE(split.hold_rest(kCaller, kCallee, 7000, 5, rest, joined));  // a rest, elsewhere
    CHECK(split.take_start(kCaller, kCallee, 5001) == 0);  // another place
    CHECK(split.take_start(kCallee, kCaller, 5000) == 0);  // the other direction
    CHECK(split.take_start(kCaller, kCallee, 7000) == 0);  // a rest is no start
    CHECK(split.take_start(kCaller, kCallee, 5000) == 3);
    CHECK(split.take_start(kCaller, kCallee, 5000) == 0);  // once
    // taken: a resend of its rest joins nothing (the message was read)
    CHECK_FALSE(split.hold_rest(kCaller, kCallee, 5030, 4, rest, joined));
    // a part freed so leaves room: a full set of newer parts pushes out
    // only the oldest
    SplitMessages room;
    CHECK_FALSE(room.hold_start(kCaller, kCallee, 5000, 3, start, joined));
    CHECK_FALSE(room.hold_start(kCaller, kCallee, 6000, 3, start, joined));
    CHECK(room.take_start(kCaller, kCallee, 6000) == 3);
    for (std::uint32_t i = 0; i + 1 < SplitMessages::kParts; ++i)
        CHECK_FALSE(room.hold_start(kCaller, kCallee, 90000 + 1000 * i, 3, start, joined));
    CHECK(room.hold_rest(kCaller, kCallee, 5030, 4, rest, joined));
}
