// The only stateful part of the core: what one capture file has shown so
// far (requests by transaction, which request each response answers).
// The plugin drives it frame by frame and resets it per file.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "message.h"
#include "response_analysis.h"
#include "transaction.h"

namespace sipresp {

// Where a message sits in the capture. `index` tells apart several SIP
// messages in one frame (TCP). Time is the capture time in nanoseconds
// since the epoch (exact, unlike a double).
struct MessagePosition {
    std::uint32_t frame = 0;
    std::uint32_t index = 0;
    std::int64_t time_ns = 0;
    // False when Wireshark dissects a frame again (GUI click, tshark -2):
    // then the tracker reports what it found the first time and learns nothing.
    bool first_pass = true;
};

struct RequestRecord {
    std::uint32_t frame = 0;
    std::int64_t time_ns = 0;
    RequestSummary summary;
};

struct MessageReport {
    const Message* message = nullptr;  // status / error say whether it could be read
    const char* internal_error = nullptr;  // set if the core itself failed (out of memory)
    bool analysed = false;             // a readable 2xx/3xx response
    ResponseAnalysis analysis;         // when analysed
    const RequestRecord* request = nullptr;  // the matching request; nullptr if not in the capture
    std::int64_t response_time_ns = 0; // since the request, when request != nullptr
};

class CaptureTracker {
public:
    // Reads one SIP message and returns what sipresp has to say about it.
    // The report stays valid until the next call. Never throws.
    const MessageReport& observe(const MessagePosition& where, std::string_view bytes) noexcept;

    // A new capture file: forget everything.
    void reset() noexcept;

    std::size_t request_count() const { return requests_.size(); }

private:
    void observe_request(const MessagePosition& where);
    void observe_response(const MessagePosition& where);
    static std::uint64_t position_key(const MessagePosition& where) {
        return (std::uint64_t{where.frame} << 32) | where.index;
    }

    Message message_;
    MessageReport report_;
    std::vector<RequestRecord> requests_;
    std::unordered_map<std::uint64_t, std::uint32_t> request_by_transaction_;
    // first-pass answer for each analysed response: index into requests_ + 1, 0 = none
    std::unordered_map<std::uint64_t, std::uint32_t> request_by_response_;
};

}  // namespace sipresp
