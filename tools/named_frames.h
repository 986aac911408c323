// Every frame a tracker report names, for the checks that a report only
// ever names frames the tracker was given, and a link back points back
// (tests/unit/test_missing_messages.cpp over pcaps/, fuzz/fuzz_core.cpp
// over whatever the fuzzer makes).
#pragma once

#include <cstdint>

#include "capture_tracker.h"

namespace sipresp::tools {

// Calls visit(frame, earlier) for each frame `r` names; `earlier`: it must
// come before the reported message's frame (a link back), where the others
// may come after it (forward links, whole file only) or share its frame
// (a TCP frame holding a request and its response).
template <class Visit>
void for_each_named_frame(const MessageReport& r, Visit visit) {
    const SequenceReport& s = r.sequence;
    const auto named = [&visit](std::uint32_t frame, bool earlier) {
        if (frame != 0) visit(frame, earlier);
    };
    if (r.request) named(r.request->frame, false);
    named(s.copy_of, false);
    named(s.duplicate_of, false);
    named(s.copy_after_ack_frame, false);
    named(s.redirected_by, true);
    named(s.ack_frame, false);
    named(s.other_branch_ack_frame, false);
    // (the first fork's 2xx came first, but may share a TCP frame)
    named(s.other_fork_ack_frame, false);
    named(s.other_fork_frame, false);
    for (const TargetFollow& f : s.follows) {
        named(f.frame, false);
        named(f.tried_frame, false);
    }
    for (const SequenceFinding& f : s.findings) named(f.frame, false);
}

}  // namespace sipresp::tools
