// Core micro-benchmark: parse + analyse a typical 302 with two Contacts,
// through the same CaptureTracker API the plugin uses.
//   build/bench/sipresp_bench_core [messages]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "capture_tracker.h"

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

}  // namespace

int main(int argc, char** argv) {
    const long messages = argc > 1 ? std::atol(argv[1]) : 5'000'000;
    sipresp::CaptureTracker tracker;
    std::size_t findings = 0;
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < messages; ++i) {
        const sipresp::MessageReport& r =
            tracker.observe({static_cast<std::uint32_t>(i + 1), 0, std::int64_t{i} * 1'000'000, true}, k302);
        findings += r.analysis.targets.size();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%ld messages (302, 2 Contacts) in %.3f s: %.2f M msgs/s (%zu targets seen)\n", messages, seconds,
                double(messages) / seconds / 1e6, findings);
    return 0;
}
