// Turns the core's MessageReport into tree items, expert info and the Info
// column. No SIP knowledge here: every judgement comes from the core.
#pragma once

#include <epan/packet.h>

#include "capture_tracker.h"

namespace sipresp::plugin {

// `message` is the SIP message item's field_info: its data source and
// offset anchor every highlighted byte range. May longjmp (Wireshark
// exceptions): it owns nothing with a destructor.
void render_report(const MessageReport& report, field_info* message, packet_info* pinfo, proto_tree* tree);

}  // namespace sipresp::plugin
