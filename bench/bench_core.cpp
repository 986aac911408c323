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
//   build/bench/sipresp_bench_core capture FILE.pcap
//       every UDP datagram of a classic pcap (Ethernet, IPv4) through the
//       tracker, as bench/make_capture.py writes them: messages per second
//       (the file is read into memory first, only the tracker is timed) and
//       what the tracker keeps for that file, store by store (the tshark
//       benchmark's memory).
//   build/bench/sipresp_bench_core params
//       URI equality (19.1.4) of two URIs whose parameters and headers come
//       in opposite orders, at 10 to 8,000 of each: the cost per parameter
//       should stay flat as lists grow (a hostile URI's thousands must not
//       cost their square).
//   build/bench/sipresp_bench_core contacts
//       parse + analyse a 300 with 256 Contacts (the most analysed) of 16
//       parameters each, differing only in the last: the duplicate-target
//       check's worst case, 32,640 pairs of near-equal URIs.
//   build/bench/sipresp_bench_core removals
//       a REGISTER removing 16 bindings of 400 parameters each while it
//       binds 240 short Contacts at the same address, and its 200 listing
//       those 240: every removal is compared with every Contact (RFC 3261
//       10.3 steps 6-8), the removal check's worst case in one message (70 KB).
//   build/bench/sipresp_bench_core cold FILE.pcap [rounds [l2]]
//       the same messages with sipresp's code (and with l2 its data too)
//       pushed out of the caches before each, as Wireshark's work between
//       two frames does: what that adds to a message, in nanoseconds.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "capture_tracker.h"
#include "binding_removal.h"
#include "classic_pcap.h"
#include "message.h"
#include "numbered_parameters.h"
#include "response_analysis.h"
#include "uri.h"

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
    std::printf("state: %zu requests, %zu redirects, %zu finals to INVITE and redirects, %zu requests with findings: %zu bytes, "
                "%.0f bytes per call\n",
                fp.requests, fp.redirects, fp.responses, fp.requests_with_findings, fp.bytes, double(fp.bytes) / double(count));
    const auto e = sipresp::CaptureTracker::entry_sizes();
    std::printf("entry bytes: request %zu (in a dialog, not INVITE: %zu), redirect %zu, target %zu, "
                "2xx to INVITE %zu, request findings %zu, table slot %zu (tables kept at most 75%% full)\n",
                e.request, e.plain_request, e.redirect, e.target, e.success, e.request_links, e.table_slot);
    return links == static_cast<std::size_t>(count) ? 0 : 1;
}

void print_footprint(const sipresp::CaptureTracker& tracker, std::size_t messages) {
    const auto fp = tracker.footprint();
    std::printf("state: %zu requests, %zu redirects, %zu finals to INVITE and redirects, %zu requests with findings: %zu bytes, "
                "%.1f bytes per message\n",
                fp.requests, fp.redirects, fp.responses, fp.requests_with_findings, fp.bytes, double(fp.bytes) / double(messages));
    for (const auto& part : fp.parts) std::printf("  %-32s %10zu bytes\n", part.name, part.bytes);
}

// A classic pcap's UDP datagrams (Ethernet, IPv4), as bench/make_capture.py
// writes them: each SIP message's bytes and time, pointing into the file
// read by tools/classic_pcap.h.
struct CapturedMessage {
    std::uint32_t frame;
    std::string_view bytes;
    std::int64_t time_ns;
};

bool read_capture(const char* path, sipresp::tools::ClassicPcap& pcap, std::vector<CapturedMessage>& messages) {
    if (!sipresp::tools::read_classic_pcap(path, pcap)) return false;
    if (pcap.link_type != 1) {
        std::fprintf(stderr, "%s: not a capture of Ethernet frames\n", path);
        return false;
    }
    std::uint32_t frame = 0;
    for (const sipresp::tools::PcapRecord& record : pcap.records) {
        ++frame;
        const auto* data = reinterpret_cast<const unsigned char*>(record.bytes.data());
        const std::size_t length = record.bytes.size();
        // Ethernet (14) + IPv4 (IHL) + UDP (8)
        if (length < 14 + 20 + 8 || data[12] != 0x08 || data[13] != 0x00 || data[14 + 9] != 17) continue;
        const std::size_t sip = 14 + std::size_t(data[14] & 0x0f) * 4 + 8;
        if (sip >= length) continue;
        messages.push_back({frame, record.bytes.substr(sip), record.time_ns});
    }
    return true;
}

int capture(const char* path) {
    // the whole file in memory first: only the tracker is timed, not the
    // reading (a 3M-message capture is 1 GB)
    sipresp::tools::ClassicPcap pcap;
    std::vector<CapturedMessage> messages;
    if (!read_capture(path, pcap, messages)) return 2;
    sipresp::CaptureTracker tracker;
    const auto start = std::chrono::steady_clock::now();
    for (const CapturedMessage& m : messages) tracker.observe({m.frame, 0, m.time_ns, true}, m.bytes);
    const double s = seconds_since(start);
    std::printf("capture: %zu messages in %.3f s: %.2f M msgs/s\n", messages.size(), s,
                double(messages.size()) / s / 1e6);
    print_footprint(tracker, messages.size());
    return 0;
}

// ---- cold: what a message costs when its code and data are not cached ----
//
// Inside tshark, Wireshark's own work between two SIP messages (some 100,000
// instructions a frame) pushes sipresp's code and data out of the caches.
// This mode imitates that with an evictor run before every message: 64 KiB
// of no-ops (twice the L1 instruction cache), and with `l2` also a read of
// 512 KiB of data (the per-core L2 of the family 25 host it was written
// on). The evictor's own time is measured alone and taken off.

#if defined(__x86_64__)
unsigned char evicting_data[512 * 1024];

__attribute__((noinline)) void evict(bool l2) {
    if (l2) {
        unsigned sum = 0;
        for (std::size_t i = 0; i < sizeof evicting_data; i += 64) sum += evicting_data[i];
        asm volatile("" : : "r"(sum));
    }
    // 8,192 eight-byte no-ops (nopl 0x0(%rax,%rax,1)): no data, no branches
    asm volatile(".rept 8192\n\t.byte 0x0f,0x1f,0x84,0x00,0x00,0x00,0x00,0x00\n\t.endr");
}
#endif

// nanoseconds a message: the evictor alone (0), the evictor then the
// message (1), the message alone (2); a new tracker each time
double cold_round(const std::vector<CapturedMessage>& messages, int variant, bool l2) {
    sipresp::CaptureTracker tracker;
    const auto start = std::chrono::steady_clock::now();
    for (const CapturedMessage& m : messages) {
#if defined(__x86_64__)
        if (variant != 2) evict(l2);
#endif
        if (variant != 0) tracker.observe({m.frame, 0, m.time_ns, true}, m.bytes);
    }
    return seconds_since(start) / double(messages.size()) * 1e9;
}

int cold(const char* path, int rounds, bool l2) {
#if !defined(__x86_64__)
    (void)path, (void)rounds, (void)l2;
    std::fprintf(stderr, "cold: the evictor is written for x86-64 only\n");
    return 2;
#else
    sipresp::tools::ClassicPcap pcap;
    std::vector<CapturedMessage> messages;
    if (!read_capture(path, pcap, messages)) return 2;
    if (messages.empty()) {
        std::fprintf(stderr, "%s: no UDP datagrams to time\n", path);
        return 2;
    }
    // written once, so its pages are real memory and not the shared zero page
    std::memset(evicting_data, 1, sizeof evicting_data);
    std::vector<double> alone, added;
    for (int r = 0; r < rounds; ++r) {
        const double e = cold_round(messages, 0, l2), both = cold_round(messages, 1, l2),
                     warm = cold_round(messages, 2, l2);
        alone.push_back(warm);
        added.push_back(both - e - warm);
        std::printf("cold: round %d: evictor %.0f ns, evictor and message %.0f, message alone %.0f: "
                    "%+.0f ns a message cold\n", r + 1, e, both, warm, both - e - warm);
    }
    std::sort(alone.begin(), alone.end());
    std::sort(added.begin(), added.end());
    const std::size_t n = added.size();
    std::printf("cold (%s evicted): %zu messages, median %.0f ns a message with caches warm, %+.0f ns cold "
                "(quartiles %+.0f to %+.0f) over %d rounds\n",
                l2 ? "L1i, L1d and L2" : "L1i", messages.size(), alone[n / 2], added[n / 2], added[n / 4],
                added[n * 3 / 4], rounds);
    return 0;
#endif
}

}  // namespace

int params() {
    int unequal = 0;
    for (const int count : {10, 100, 1000, 8000}) {
        const std::string a = "sip:bob@example.com;" + sipresp::tools::numbered_parameters(count, false, ';') + "?" + sipresp::tools::numbered_parameters(count, false, '&');
        const std::string b = "sip:bob@example.com;" + sipresp::tools::numbered_parameters(count, true, ';') + "?" + sipresp::tools::numbered_parameters(count, true, '&');
        const sipresp::Uri ua = sipresp::parse_uri(a), ub = sipresp::parse_uri(b);
        const long rounds = std::max(1L, 400'000L / count);
        const auto start = std::chrono::steady_clock::now();
        for (long r = 0; r < rounds; ++r) unequal += sipresp::uri_equal(ua, ub) ? 0 : 1;
        const double ns = seconds_since(start) * 1e9 / double(rounds);
        std::printf("params: %5d parameters and %5d headers each: %12.0f ns a comparison, %6.1f ns a parameter\n",
                    count, count, ns, ns / (2.0 * count));
    }
    return unequal == 0 ? 0 : 1;  // every pair is equal: anything else is a bug
}

int contacts() {
    std::string list;
    for (int i = 0; i < 256; ++i) {
        if (i != 0) list += ", ";
        list += "<sip:bob@192.0.2.4;" + sipresp::tools::numbered_parameters(15, false, ';') + ";x=" + std::to_string(i) + ">";
    }
    const std::string message = "SIP/2.0 300 Multiple Choices\r\n"
                                "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9\r\n"
                                "From: <sip:alice@example.com>;tag=9fxced76sl\r\n"
                                "To: <sip:bob@example.com>;tag=8321234356\r\n"
                                "Call-ID: 3848276298220188511@192.0.2.1\r\n"
                                "CSeq: 1 INVITE\r\n"
                                "Contact: " + list + "\r\n"
                                "Content-Length: 0\r\n\r\n";
    sipresp::Message parsed;
    sipresp::ResponseAnalysis analysis;
    std::vector<double> ms;
    for (int round = 0; round < 9; ++round) {
        const auto start = std::chrono::steady_clock::now();
        for (int k = 0; k < 5; ++k) {
            sipresp::parse_message(message, parsed);
            sipresp::analyse_response(parsed, analysis);
        }
        ms.push_back(seconds_since(start) * 1e3 / 5);
    }
    std::sort(ms.begin(), ms.end());
    std::printf("contacts: a 300 with %zu Contacts of 16 parameters (%zu bytes): median %.2f ms, best %.2f ms a message\n",
                analysis.targets.size(), message.size(), ms[ms.size() / 2], ms.front());
    return analysis.targets.size() == 256 && analysis.findings.empty() ? 0 : 1;
}

int removals() {
    std::string removed, bound, listed;
    for (int i = 0; i < 16; ++i)
        removed += "Contact: <sip:bob@192.0.2.4;" + sipresp::tools::numbered_parameters(400, false, ';') + ";r=" +
                   std::to_string(i) + ">;expires=0\r\n";
    for (int i = 0; i < 240; ++i) {
        bound += "Contact: <sip:bob@192.0.2.4;r=b" + std::to_string(i) + ">\r\n";
        listed += "Contact: <sip:bob@192.0.2.4;r=b" + std::to_string(i) + ">;expires=3600\r\n";
    }
    const std::string head = "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9\r\n"
                             "From: <sip:bob@example.com>;tag=9fxced76sl\r\n"
                             "To: <sip:bob@example.com>\r\n"
                             "Call-ID: 3848276298220188511@192.0.2.1\r\n"
                             "CSeq: 1 REGISTER\r\n";
    const std::string request = "REGISTER sip:example.com SIP/2.0\r\n" + head + removed + bound +
                                "Expires: 3600\r\nContent-Length: 0\r\n\r\n";
    const std::string response = "SIP/2.0 200 OK\r\n" + head + listed + "Content-Length: 0\r\n\r\n";
    sipresp::Message parsed_request, parsed_response;
    sipresp::parse_message(request, parsed_request);
    sipresp::parse_message(response, parsed_response);
    sipresp::ResponseAnalysis analysis;
    sipresp::analyse_response(parsed_response, analysis);
    std::string written;
    bool kept = false;
    std::vector<double> ms;
    for (int round = 0; round < 9; ++round) {
        const auto start = std::chrono::steady_clock::now();
        sipresp::write_removed_bindings(parsed_request, written);
        kept = sipresp::mark_kept_removals(written, analysis);
        ms.push_back(seconds_since(start) * 1e3);
    }
    std::sort(ms.begin(), ms.end());
    std::printf("removals: a REGISTER of %zu bytes removing 16 bindings, its 200 listing %zu: median %.2f ms, best %.2f ms "
                "a pair\n", request.size(), analysis.targets.size(), ms[ms.size() / 2], ms.front());
    // each removal's r differs from every bound Contact's (19.1.4 ignores
    // the parameters only one side has), so all 16 are written, and the
    // 200 keeps none of them
    return std::count(written.begin(), written.end(), ',') == 15 && !kept ? 0 : 1;
}

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "analyse";
    if (std::strcmp(mode, "analyse") == 0)
        return analyse(argc > 2 ? std::atol(argv[2]) : 2'000'000, argc > 3 ? std::max(1, std::atoi(argv[3])) : 9);
    if (std::strcmp(mode, "calls") == 0) return calls(argc > 2 ? std::atol(argv[2]) : 200'000);
    if (std::strcmp(mode, "capture") == 0 && argc > 2) return capture(argv[2]);
    if (std::strcmp(mode, "params") == 0) return params();
    if (std::strcmp(mode, "contacts") == 0) return contacts();
    if (std::strcmp(mode, "removals") == 0) return removals();
    if (std::strcmp(mode, "cold") == 0 && argc > 2)
        return cold(argv[2], argc > 3 ? std::max(1, std::atoi(argv[3])) : 9, argc > 4 && std::strcmp(argv[4], "l2") == 0);
    std::fprintf(stderr, "usage: %s analyse [messages [rounds]] | calls [calls] | capture FILE.pcap | params | contacts | removals | cold FILE.pcap [rounds [l2]]\n",
                 argv[0]);
    return 2;
}
