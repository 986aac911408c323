// Test messages are written with '\n' line ends; SIP wants CRLF (7).
#pragma once

#include <string>
#include <string_view>

#include "capture_tracker.h"
#include "message.h"
#include "response_analysis.h"

namespace sipresp::test {

inline std::string crlf(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

// Parses text (after crlf) into a Message that owns its bytes.
struct Parsed {
    std::string bytes;
    Message message;
    explicit Parsed(std::string_view text) : bytes(crlf(text)) { parse_message(bytes, message); }
};

inline bool fires(const ResponseAnalysis& a, RuleId id) {
    for (const Finding& f : a.findings)
        if (f.rule == id) return true;
    return false;
}

}  // namespace sipresp::test

namespace sipresp::test {

// A response with the usual transaction headers; `extra` is header lines
// ending in '\n'. Content-Length is computed.
inline std::string response(std::string_view status_line, std::string_view method, std::string_view extra,
                            std::string_view body = {}) {
    std::string text(status_line);
    text += "\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa1\n"
            "From: <sip:alice@example.com>;tag=f1\nTo: <sip:bob@example.com>;tag=t1\n"
            "Call-ID: c1@192.0.2.1\nCSeq: 1 ";
    text += method;
    text += "\n";
    text += extra;
    text += "Content-Length: " + std::to_string(body.size()) + "\n\n";
    return crlf(text) + std::string(body);
}

}  // namespace sipresp::test
