// Transaction matching across a capture, with first-pass results kept so
// that every later dissection of a frame shows the same thing.
#include "capture_tracker.h"

#include <new>

namespace sipresp {

const MessageReport& CaptureTracker::observe(const MessagePosition& where, std::string_view bytes) noexcept {
    report_.message = &message_;
    report_.internal_error = nullptr;
    report_.analysed = false;
    report_.request = nullptr;
    report_.response_time_ns = 0;
    try {
        parse_message(bytes, message_);
        if (message_.status != ParseStatus::complete) return report_;
        if (message_.is_request) {
            if (where.first_pass) observe_request(where);
        } else if (is_analysed_status(message_.status_code)) {
            observe_response(where);
        }
    } catch (const std::bad_alloc&) {
        report_.analysed = false;
        report_.internal_error = "out of memory while analysing this message";
    } catch (...) {
        report_.analysed = false;
        report_.internal_error = "internal error while analysing this message";
    }
    return report_;
}

void CaptureTracker::observe_request(const MessagePosition& where) {
    // ACK to a 2xx is its own transaction, and any ACK has no response to
    // judge; retransmissions keep the first copy (17.2.3).
    if (message_.method == "ACK") return;
    const std::uint64_t key = transaction_key(message_);
    if (request_by_transaction_.count(key)) return;
    requests_.push_back({where.frame, where.time_ns, summarize_request(message_)});
    request_by_transaction_.emplace(key, static_cast<std::uint32_t>(requests_.size()));
}

void CaptureTracker::observe_response(const MessagePosition& where) {
    analyse_response(message_, report_.analysis);
    report_.analysed = true;
    std::uint32_t request_slot = 0;
    if (where.first_pass) {
        const auto found = request_by_transaction_.find(transaction_key(message_));
        if (found != request_by_transaction_.end()) request_slot = found->second;
        if (request_slot != 0) request_by_response_[position_key(where)] = request_slot;
    } else {
        const auto found = request_by_response_.find(position_key(where));
        if (found != request_by_response_.end()) request_slot = found->second;
    }
    if (request_slot == 0) return;
    const RequestRecord& request = requests_[request_slot - 1];
    report_.request = &request;
    report_.response_time_ns = where.time_ns - request.time_ns;
    check_against_request(request.summary, report_.analysis);
}

void CaptureTracker::reset() noexcept {
    requests_.clear();
    requests_.shrink_to_fit();
    request_by_transaction_ = {};
    request_by_response_ = {};
    report_ = MessageReport{};
}

}  // namespace sipresp
