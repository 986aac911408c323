// Core micro-benchmarks (figures, never a pass/fail test).
//   build/bench/sipresp_bench_core analyse [messages [rounds]]
//       parse + analyse a typical 302 with two Contacts (RULES.md 1-4): the
//       work done for every 2xx/3xx whatever the capture. Prints each round
//       and the median (default 2M messages, 9 rounds).
//   build/bench/sipresp_bench_core calls [calls]
//       whole calls through the CaptureTracker, as the plugin drives it:
//       INVITE, 302, ACK, INVITE to the target, 200, ACK, BYE, 200, each call
//       with its own Call-ID, tags and branches. Prints messages per second
//       and the tracker's memory per call (the state kept for the file).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "capture_tracker.h"
#include "message.h"
#include "response_analysis.h"

namespace {

constexpr std::string_view k302 =
    "SIP/2.0 302 Moved Temporarily\r\n"
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9;received=192.0.2.1\r\n"
    "From: \"Alice\" <sip:alice@example.com>;tag=9fxced76sl\r\n"
    "To: <sip:bob@example.com>;tag=8321234356\r\n"
    "Call-ID: 3848276298220188511@192.0.2.1\r\n"
    "CSeq: 1 INVITE\r\n"
    "Contact: <sip:bob@192.0.2.4>;q=0.7;expires=3600, <sip:bob@198.51.100.9>;q=0.1\r\n"
    "Server: redirect/1.0\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One timed round: messages per second.
double analyse_round(long messages, std::size_t& targets) {
    sipresp::Message message;
    sipresp::ResponseAnalysis analysis;
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < messages; ++i) {
        sipresp::parse_message(k302, message);
        sipresp::analyse_response(message, analysis);
        targets += analysis.targets.size();
    }
    return double(messages) / seconds_since(start);
}

// Rounds back to back: on a shared machine single runs swing by a fifth, the
// median of several says more than any one of them.
int analyse(long messages, int rounds) {
    std::vector<double> rates;
    std::size_t targets = 0;
    for (int r = 0; r < rounds; ++r) {
        rates.push_back(analyse_round(messages, targets));
        std::printf("analyse: round %d: %ld messages (302, 2 Contacts): %.2f M msgs/s\n", r + 1, messages,
                    rates.back() / 1e6);
    }
    std::sort(rates.begin(), rates.end());
    std::printf("analyse: median %.2f, best %.2f M msgs/s over %d rounds (%zu targets seen)\n",
                rates[rates.size() / 2] / 1e6, rates.back() / 1e6, rounds, targets);
    return targets == static_cast<std::size_t>(messages) * 2 * static_cast<std::size_t>(rounds) ? 0 : 1;
}

// One call's messages, with `n` making every identifier unique.
std::vector<std::string> call_messages(long n) {
    const std::string id = std::to_string(n);
    const std::string via = "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK" + id;
    const std::string from = "From: \"Alice\" <sip:alice@example.com>;tag=a" + id + "\r\n";
    const std::string call = "Call-ID: " + id + "@192.0.2.1\r\n";
    const std::string to = "To: <sip:bob@example.com>";
    const std::string end = "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
    return {
        "INVITE sip:bob@example.com SIP/2.0\r\n" + via + "-1\r\n" + from + to + "\r\n" + call +
            "CSeq: 1 INVITE\r\nContact: <sip:alice@192.0.2.1>\r\n" + end,
        "SIP/2.0 302 Moved Temporarily\r\n" + via + "-1\r\n" + from + to + ";tag=r" + id + "\r\n" + call +
            "CSeq: 1 INVITE\r\nContact: <sip:bob@192.0.2.4>;q=0.7;expires=3600, <sip:bob@198.51.100.9>;q=0.1\r\n" + end,
        "ACK sip:bob@example.com SIP/2.0\r\n" + via + "-1\r\n" + from + to + ";tag=r" + id + "\r\n" + call +
            "CSeq: 1 ACK\r\n" + end,
        "INVITE sip:bob@192.0.2.4 SIP/2.0\r\n" + via + "-2\r\n" + from + to + "\r\n" + call +
            "CSeq: 2 INVITE\r\nContact: <sip:alice@192.0.2.1>\r\n" + end,
        "SIP/2.0 200 OK\r\n" + via + "-2\r\n" + from + to + ";tag=b" + id + "\r\n" + call +
            "CSeq: 2 INVITE\r\nContact: <sip:bob@192.0.2.4>\r\n" + end,
        "ACK sip:bob@192.0.2.4 SIP/2.0\r\n" + via + "-3\r\n" + from + to + ";tag=b" + id + "\r\n" + call +
            "CSeq: 2 ACK\r\n" + end,
        "BYE sip:bob@192.0.2.4 SIP/2.0\r\n" + via + "-4\r\n" + from + to + ";tag=b" + id + "\r\n" + call +
            "CSeq: 3 BYE\r\n" + end,
        "SIP/2.0 200 OK\r\n" + via + "-4\r\n" + from + to + ";tag=b" + id + "\r\n" + call + "CSeq: 3 BYE\r\n" + end,
    };
}

int calls(long count) {
    // build the messages first: only the tracker is timed
    std::vector<std::string> messages;
    messages.reserve(static_cast<std::size_t>(count) * 8);
    for (long n = 0; n < count; ++n)
        for (std::string& m : call_messages(n)) messages.push_back(std::move(m));
    sipresp::CaptureTracker tracker;
    std::size_t links = 0;
    const auto start = std::chrono::steady_clock::now();
    std::uint32_t frame = 0;
    for (const std::string& m : messages) {
        ++frame;
        const sipresp::MessageReport& r =
            tracker.observe({frame, 0, std::int64_t{frame} * 1'000'000, true}, m);
        links += r.sequence.redirected_by != 0;
    }
    const double s = seconds_since(start);
    const auto fp = tracker.footprint();
    std::printf("calls: %ld calls, %zu messages in %.3f s: %.2f M msgs/s; %zu follow-ups linked\n", count,
                messages.size(), s, double(messages.size()) / s / 1e6, links);
    std::printf("state: %zu requests, %zu redirects, %zu INVITE finals, %zu per-message links: %zu bytes, "
                "%.0f bytes per call\n",
                fp.requests, fp.redirects, fp.finals, fp.positions, fp.bytes, double(fp.bytes) / double(count));
    const auto e = sipresp::CaptureTracker::entry_sizes();
    std::printf("entry bytes: request %zu, redirect %zu, target %zu, INVITE final %zu, response links %zu, "
                "request links %zu, table slot %zu (tables kept at most 80%% full)\n",
                e.request, e.redirect, e.target, e.final_response, e.response_links, e.request_links, e.table_slot);
    return links == static_cast<std::size_t>(count) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "analyse";
    if (std::strcmp(mode, "analyse") == 0)
        return analyse(argc > 2 ? std::atol(argv[2]) : 2'000'000, argc > 3 ? std::max(1, std::atoi(argv[3])) : 9);
    if (std::strcmp(mode, "calls") == 0) return calls(argc > 2 ? std::atol(argv[2]) : 200'000);
    std::fprintf(stderr, "usage: %s analyse [messages [rounds]] | calls [calls]\n", argv[0]);
    return 2;
}
