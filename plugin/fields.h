// Field, subtree and expert ids of the sipresp protocol, shared by the
// registration (plugin.cpp) and the rendering (render.cpp).
#pragma once

#include <epan/expert.h>
#include <epan/packet.h>

#include "rules.h"

namespace sipresp::plugin {

struct Fields {
    int proto = -1;
    int status_code = -1, status_class = -1, meaning = -1, method = -1, policy = -1;
    int request_frame = -1, request_uri = -1, response_time = -1, request_missing = -1;
    int target = -1, target_uri = -1, target_display = -1, target_q = -1, target_rank = -1;
    int target_lifetime = -1, target_lifetime_source = -1, target_expires_at = -1;
    int target_cacheable = -1, target_uri_headers = -1, target_unreadable = -1;
    int targets_omitted = -1;
    int subscription_lifetime = -1, publication_lifetime = -1;
    int first_target = -1, first_target_lifetime = -1;
    int target_followed_in = -1, target_followed_by_number = -1, target_tried_in = -1, target_removal_ignored = -1;
    int sent_to_proxy_uri = -1;
    int redirected_by = -1, redirected_as_new_call = -1, redirected_by_number = -1, uris_not_all_compared = -1, redirect_depth = -1, copy_of = -1, duplicate_of = -1,
        tcp_resend_of = -1;
    int ack_frame = -1, ack_state = -1, ack_elsewhere = -1, ack_hidden = -1, ack_other_branch = -1, ack_other_fork = -1;
    int retransmissions = -1, retransmissions_after_ack = -1;
    int rule = -1;
    int unreadable = -1;
    int body_cut = -1;
    int ip_first_fragment = -1;
    int tcp_first_segment = -1, whole_in = -1;
};

struct Subtrees {
    int top = -1;
    int target = -1;
    int request = -1;
    int sequence = -1;
};

extern Fields hf;
extern Subtrees ett;
// One expert field per rule, indexed by RuleId, and one for unreadable input.
extern expert_field ei_rule[static_cast<int>(RuleId::count_)];
extern expert_field ei_unreadable;

struct Preferences {
    bool info_summary = true;
    unsigned max_redirects = 5;
    bool track_calls = true;
    // Per rule, indexed by RuleId: false when the user turned it off
    // (sipresp.rule_<id>); a rule turned off shows nowhere, not even in stats.
    bool rule_on[static_cast<int>(RuleId::count_)];
    bool shows(RuleId id) const { return rule_on[static_cast<int>(id)]; }
};
extern Preferences prefs;

}  // namespace sipresp::plugin
