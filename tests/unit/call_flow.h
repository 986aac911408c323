// Builds SIP call flows as a capture would show them and replays them
// through a CaptureTracker, first pass then second pass (RULES.md 6 tests).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capture_tracker.h"
#include "sip_text.h"

namespace sipresp::test {

// Who sends: the client's Via sent-by, From URI and tag, and its Call-ID.
struct Caller {
    std::string call_id = "call-1@192.0.2.1";
    std::string from_uri = "sip:alice@example.com";
    std::string from_tag = "f1";
    std::string via = "192.0.2.1:5060";
};

inline std::string sip_request(const std::string& method, const std::string& ruri, const Caller& c,
                               std::uint32_t cseq, const std::string& branch, const std::string& to_tag = "",
                               const std::string& cseq_method = "") {
    std::string t = method + " " + ruri + " SIP/2.0\nVia: SIP/2.0/UDP " + c.via + ";branch=" + branch +
                    "\nFrom: <" + c.from_uri + ">;tag=" + c.from_tag + "\nTo: <sip:bob@example.com>" +
                    (to_tag.empty() ? "" : ";tag=" + to_tag) + "\nCall-ID: " + c.call_id + "\nCSeq: " +
                    std::to_string(cseq) + " " + (cseq_method.empty() ? method : cseq_method) +
                    "\nMax-Forwards: 70\nContent-Length: 0\n\n";
    return crlf(t);
}

// `extra`: header lines ending in '\n' (Contact, Expires...).
inline std::string sip_response(const std::string& status_line, const std::string& method, const Caller& c,
                                std::uint32_t cseq, const std::string& branch, const std::string& to_tag,
                                const std::string& extra) {
    std::string t = "SIP/2.0 " + status_line + "\nVia: SIP/2.0/UDP " + c.via + ";branch=" + branch +
                    "\nFrom: <" + c.from_uri + ">;tag=" + c.from_tag + "\nTo: <sip:bob@example.com>;tag=" + to_tag +
                    "\nCall-ID: " + c.call_id + "\nCSeq: " + std::to_string(cseq) + " " + method + "\n" + extra +
                    "Content-Length: 0\n\n";
    return crlf(t);
}

// The messages of a capture, one per frame, and what the tracker reported
// for each on the first and on the second pass.
class Flow {
public:
    // Appends a message at `ms` milliseconds into the capture; returns its
    // frame number. `from` and `to`: its transport addresses as the plugin
    // passes them (MessagePosition::source, destination), 0 unknown.
    std::uint32_t at(std::int64_t ms, std::string bytes, std::uint32_t from = 0, std::uint32_t to = 0) {
        messages_.push_back({ms, std::move(bytes), from, to, false, std::nullopt, false, false});
        return static_cast<std::uint32_t>(messages_.size());
    }
    // A message carried by TCP, whose first byte has sequence number `seq`
    // (MessagePosition::tcp_seq).
    std::uint32_t at_tcp(std::int64_t ms, std::string bytes, std::uint32_t seq) {
        messages_.push_back({ms, std::move(bytes), 0, 0, false, seq, false, false});
        return static_cast<std::uint32_t>(messages_.size());
    }
    // TCP's own copy of a segment whose message was given before, handed
    // to SIP (tcp.analyze_sequence_numbers off): the plugin says so on the
    // first pass (MessagePosition::tcp_place_repeated).
    std::uint32_t at_tcp_resend(std::int64_t ms, std::string bytes, std::uint32_t from, std::uint32_t to) {
        messages_.push_back({ms, std::move(bytes), from, to, false, std::nullopt, false, true});
        return static_cast<std::uint32_t>(messages_.size());
    }
    // A message in a segment Wireshark handed to no dissector: given to
    // the tracker on the first pass only, to learn from (MessagePosition::
    // shown), as the plugin does.
    std::uint32_t at_hidden(std::int64_t ms, std::string bytes) {
        messages_.push_back({ms, std::move(bytes), 0, 0, false, std::nullopt, true, false});
        return static_cast<std::uint32_t>(messages_.size());
    }
    // The first `kept` bytes of a message, as a capture with a snapshot
    // length keeps them (MessagePosition::cut_by_capture).
    std::uint32_t at_cut(std::int64_t ms, const std::string& bytes, std::size_t kept) {
        messages_.push_back({ms, bytes.substr(0, kept), 0, 0, true, std::nullopt, false, false});
        return static_cast<std::uint32_t>(messages_.size());
    }

    // A frame without SIP (RTP, other traffic): the plugin tells the
    // tracker only its time, on the first pass (capture_runs_to).
    std::uint32_t at_other(std::int64_t ms) {
        messages_.push_back({ms, std::string(), 0, 0, false, std::nullopt, false, false, true});
        return static_cast<std::uint32_t>(messages_.size());
    }

    struct Seen {
        bool analysed = false;
        SequenceReport sequence;
    };

    // Runs the first pass and then the second; `settings` apply to both.
    void run(const TrackerSettings& settings = {}) {
        tracker_.reset();
        tracker_.set_settings(settings);
        first_.clear();
        second_.clear();
        for (bool first_pass : {true, false}) {
            auto& out = first_pass ? first_ : second_;
            for (std::size_t i = 0; i < messages_.size(); ++i) {
                const Timed& m = messages_[i];
                const std::int64_t time_ns = 1'700'000'000'000'000'000 + m.ms * 1'000'000;
                if (m.other) {
                    if (first_pass) tracker_.capture_runs_to(time_ns);
                    out.push_back({});
                    continue;
                }
                if (m.hidden && !first_pass) {
                    out.push_back({});
                    continue;
                }
                MessagePosition where{static_cast<std::uint32_t>(i + 1),
                                            0,
                                            time_ns,
                                            first_pass,
                                            m.from,
                                            m.to,
                                            m.cut,
                                            m.tcp_seq};
                where.shown = !m.hidden;
                where.tcp_place_repeated = first_pass && m.tcp_resend;
                const MessageReport& r = tracker_.observe(where, m.bytes);
                out.push_back({r.analysed, r.sequence});
            }
        }
    }
    const Seen& first(std::uint32_t frame) const { return first_.at(frame - 1); }
    const Seen& second(std::uint32_t frame) const { return second_.at(frame - 1); }
    const CaptureTracker& tracker() const { return tracker_; }

private:
    struct Timed {
        std::int64_t ms;
        std::string bytes;
        std::uint32_t from, to;
        bool cut;
        std::optional<std::uint32_t> tcp_seq;
        bool hidden;
        bool tcp_resend;
        bool other = false;  // no SIP (at_other)
    };
    std::vector<Timed> messages_;
    CaptureTracker tracker_;
    std::vector<Seen> first_, second_;
};

inline const SequenceFinding* finding(const Flow::Seen& s, RuleId id) {
    for (const SequenceFinding& f : s.sequence.findings)
        if (f.rule == id) return &f;
    return nullptr;
}

}  // namespace sipresp::test
