// The "sipresp" tap and the statistics tree built on it
// (`tshark -z sipresp,tree`, Statistics > SIP Response Analysis in the GUI):
// counts per status code and the method it answers, per rule hit and per
// redirect target.
#pragma once

#include <epan/packet.h>

#include "capture_tracker.h"

namespace sipresp::plugin {

// Called from the protocol's registration.
void register_stats();

// Whether a statistics listener is there (-z sipresp,tree, the GUI dialog).
bool stats_wanted();

// Hands one message's report to the tap's listeners, if there are any
// (nothing is built otherwise). Skips rules the user turned off.
void tap_report(const MessageReport& report, packet_info* pinfo);

// Counts a SIP message that no frame of the capture holds whole (a first
// IP fragment or a TCP segment's start, the rest never put together) among
// the unreadable ones, as the core's unreadable messages are.
void tap_unreadable(packet_info* pinfo);

}  // namespace sipresp::plugin
