// What became of a fragmented datagram, asked on a later pass: reassembled
// in the first frame that completed it, or never completed at all.
#include "catch.h"

#include "reassembled_datagrams.h"

using sipresp::ReassembledDatagrams;
using Fate = ReassembledDatagrams::Fate;

TEST_CASE("a datagram is reassembled where a frame completed it, and never completed otherwise", "[first_fragment]") {
    ReassembledDatagrams datagrams;
    datagrams.completed(0x1234, 13);
    datagrams.completed(0x1234, 40);  // the same key again: the first frame stands
    std::uint32_t frame = 0;
    CHECK(datagrams.fate(0x1234, frame) == Fate::reassembled);
    CHECK(frame == 13);
    frame = 0;
    CHECK(datagrams.fate(0x5678, frame) == Fate::never_completed);
    CHECK(frame == 0);
    // no key (no IP fragment found in the frame): nothing can be said
    datagrams.completed(0, 7);
    CHECK(datagrams.fate(0, frame) == Fate::unknown);
    // a new capture forgets the last one's datagrams
    datagrams.reset();
    CHECK(datagrams.fate(0x1234, frame) == Fate::never_completed);
}
