// The tap record is built in the packet's memory pool: listeners read it at
// the end of the frame's dissection, after the tracker's report is gone.
// Nothing here has a destructor (tap and stats_tree calls may longjmp).
#include "stats.h"

#include <epan/stats_tree.h>
#include <epan/tap.h>
#include <epan/wmem_scopes.h>

#include "fields.h"
#include "response_title.h"
#include "wire_string.h"

namespace sipresp::plugin {
namespace {

int tap_id = -1;

// One SIP message as the statistics see it.
struct TapRecord {
    const char* status;        // "302 Moved Temporarily"; nullptr for a request
    const char* method;        // "to INVITE": the method the response answers
    bool unreadable;           // the core could not read the message
    bool copy;                 // a retransmission of a response already counted
    bool duplicate;            // that response captured a second time (a mirror port)
    bool tcp_resend;           // that response's TCP segment sent again by TCP
    unsigned rule_count;
    const char** rules;        // "redirect-loop (Warning)"
    unsigned target_count;
    const char** targets;      // redirect target URIs (3xx only)
};

const char* severity_name(Severity s) {
    switch (s) {
    case Severity::error: return "Error";
    case Severity::warning: return "Warning";
    case Severity::note: return "Note";
    }
    return "Note";
}

// "redirect-loop (Warning)" per rule, made once at registration: the node
// names of the rules hit.
const char* rule_labels[static_cast<int>(RuleId::count_)];

const char* rule_label(RuleId id) { return rule_labels[static_cast<int>(id)]; }

const char* kResponses = "Responses analysed (2xx and 3xx)";
const char* kRules = "Rules hit";
const char* kTargets = "Redirect targets";
const char* kUnreadable = "SIP messages not analysed (unreadable)";
const char* kCopies = "Retransmitted responses (counted once above)";
const char* kDuplicates = "Responses captured twice (under 1 ms apart; counted once above)";
const char* kTcpResends = "Responses resent by TCP itself (counted once above)";
const char* kUnknownMethod = "to an unknown request (no readable CSeq)";
int node_responses, node_rules, node_targets;

void stats_init(stats_tree* st) {
    node_responses = stats_tree_create_node(st, kResponses, 0, STAT_DT_INT, TRUE);
    node_rules = stats_tree_create_node(st, kRules, 0, STAT_DT_INT, TRUE);
    node_targets = stats_tree_create_node(st, kTargets, 0, STAT_DT_INT, TRUE);
    stats_tree_create_node(st, kCopies, 0, STAT_DT_INT, FALSE);
    stats_tree_create_node(st, kDuplicates, 0, STAT_DT_INT, FALSE);
    stats_tree_create_node(st, kTcpResends, 0, STAT_DT_INT, FALSE);
    stats_tree_create_node(st, kUnreadable, 0, STAT_DT_INT, FALSE);
}

tap_packet_status stats_packet(stats_tree* st, packet_info*, epan_dissect_t*, const void* data, tap_flags_t) {
    const auto* record = static_cast<const TapRecord*>(data);
    if (record->unreadable) tick_stat_node(st, kUnreadable, 0, FALSE);
    if (record->duplicate) tick_stat_node(st, kDuplicates, 0, FALSE);
    else if (record->tcp_resend) tick_stat_node(st, kTcpResends, 0, FALSE);
    else if (record->copy) tick_stat_node(st, kCopies, 0, FALSE);
    if (record->status) {
        tick_stat_node(st, kResponses, 0, TRUE);
        // per code, then per method: a 200 to INVITE and a 200 to REGISTER
        // are different events to whoever reads a call
        const int status_node = tick_stat_node(st, record->status, node_responses, TRUE);
        tick_stat_node(st, record->method, status_node, FALSE);
    }
    for (unsigned i = 0; i < record->rule_count; ++i) {
        tick_stat_node(st, kRules, 0, TRUE);
        tick_stat_node(st, record->rules[i], node_rules, FALSE);
    }
    for (unsigned i = 0; i < record->target_count; ++i) {
        tick_stat_node(st, kTargets, 0, TRUE);
        tick_stat_node(st, record->targets[i], node_targets, FALSE);
    }
    return TAP_PACKET_REDRAW;
}

}  // namespace

void register_stats() {
    for (const Rule& r : all_rules())
        rule_labels[static_cast<int>(r.id)] = g_strdup_printf(
            "%.*s (%s)", static_cast<int>(r.name.size()), r.name.data(), severity_name(r.severity));
    tap_id = register_tap("sipresp");
    stats_tree_register_plugin("sipresp", "sipresp", "SIP Response Analysis", 0, stats_packet, stats_init, nullptr);
}

bool stats_wanted() { return have_tap_listener(tap_id) != FALSE; }

void tap_unreadable(packet_info* pinfo) {
    if (!stats_wanted()) return;
    auto* record = wmem_new0(pinfo->pool, TapRecord);
    record->unreadable = true;
    tap_queue_packet(tap_id, pinfo, record);
}

void tap_report(const MessageReport& report, packet_info* pinfo) {
    if (!stats_wanted()) return;
    const Message& m = *report.message;
    auto* record = wmem_new0(pinfo->pool, TapRecord);
    if (report.internal_error || m.status != ParseStatus::complete) {
        record->unreadable = true;
        tap_queue_packet(tap_id, pinfo, record);
        return;
    }
    if (!m.is_request && !report.analysed) return;
    if (report.sequence.copy_of != 0) {
        // Its first copy was counted, status, targets, rules and all.
        record->copy = true;
        record->duplicate = report.sequence.duplicate_of != 0;
        record->tcp_resend = report.sequence.tcp_resend_of != 0;
        tap_queue_packet(tap_id, pinfo, record);
        return;
    }
    const ResponseAnalysis& a = report.analysis;
    const std::size_t max_rules = report.sequence.findings.size() + (report.analysed ? a.findings.size() : 0);
    record->rules = wmem_alloc_array(pinfo->pool, const char*, max_rules + 1);
    for (const SequenceFinding& f : report.sequence.findings)
        if (prefs.shows(f.rule)) record->rules[record->rule_count++] = rule_label(f.rule);
    if (report.analysed) {
        char name[64];
        TextBuffer status(name, sizeof name);
        write_status_name(a.status, status);
        record->status = wmem_strdup(pinfo->pool, status.c_str());
        record->method = a.cseq.valid ? wmem_strdup_printf(pinfo->pool, "to %s", wire_string(pinfo->pool, a.cseq.method))
                                      : kUnknownMethod;
        for (const Finding& f : a.findings)
            if (prefs.shows(f.rule)) record->rules[record->rule_count++] = rule_label(f.rule);
        if (a.is_redirect()) {
            record->targets = wmem_alloc_array(pinfo->pool, const char*, a.targets.size() + 1);
            for (const Target& t : a.targets)
                if (t.contact.valid && !t.contact.wildcard)
                    record->targets[record->target_count++] =
                        wire_string(pinfo->pool, t.contact.uri_text);
        }
    }
    if (record->status || record->rule_count) tap_queue_packet(tap_id, pinfo, record);
}

}  // namespace sipresp::plugin
