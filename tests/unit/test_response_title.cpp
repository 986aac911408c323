// The title line of a response's analysis: what a collapsed tree shows.
#include "catch.h"

#include "binding_removal.h"
#include "response_title.h"
#include "sip_text.h"

using namespace sipresp;
using sipresp::test::response;

namespace {

// The title of a response's bytes (CRLF already); `removed` is what its
// REGISTER removed, as write_removed_bindings writes it (none by default).
std::string title_of_bytes(const std::string& bytes, std::string_view removed = {}) {
    Message message;
    parse_message(bytes, message);
    REQUIRE(message.status == ParseStatus::complete);
    ResponseAnalysis a;
    analyse_response(message, a);
    mark_kept_removals(removed, a);
    char room[200];
    TextBuffer text(room, sizeof room);
    write_response_title(a, text);
    return text.c_str();
}

std::string title_of(std::string_view status_line, std::string_view method, std::string_view extra) {
    return title_of_bytes(response(status_line, method, extra));
}

}  // namespace

TEST_CASE("a 2xx title names the method it answers (21.2.1)", "[title]") {
    // a 200 means a different thing for each method, so the title says which
    CHECK(title_of("SIP/2.0 200 OK", "BYE", "") == "200 OK to BYE");
    CHECK(title_of("SIP/2.0 200 OK", "OPTIONS", "") == "200 OK to OPTIONS");
    CHECK(title_of("SIP/2.0 200 OK", "INVITE", "Contact: <sip:bob@192.0.2.4>\n") == "200 OK to INVITE, 1 Contact");
    CHECK(title_of("SIP/2.0 202 Accepted", "SUBSCRIBE", "Contact: <sip:bob@192.0.2.4>\nExpires: 60\n") ==
          "202 Accepted to SUBSCRIBE, 1 Contact");
}

TEST_CASE("a 2xx to REGISTER counts bindings, none included (10.3)", "[title]") {
    CHECK(title_of("SIP/2.0 200 OK", "REGISTER",
                   "Contact: <sip:a@192.0.2.1>;expires=60, <sip:a@192.0.2.2>;expires=60\n") ==
          "200 OK to REGISTER, 2 bindings");
    CHECK(title_of("SIP/2.0 200 OK", "REGISTER", "Contact: <sip:a@192.0.2.1>;expires=60\n") ==
          "200 OK to REGISTER, 1 binding");
    // after the last binding is removed the registrar lists none: worth saying
    CHECK(title_of("SIP/2.0 200 OK", "REGISTER", "") == "200 OK to REGISTER, no bindings");
}

// A binding its REGISTER removed and the registrar still lists with time
// left (10.3 steps 6-7) is what a reader of that 200 looks for first.
TEST_CASE("a 200 to REGISTER counts the bindings kept after their removal", "[title]") {
    const auto title_after_removal = [](std::string_view contacts, std::string_view removed) {
        return title_of_bytes(response("SIP/2.0 200 OK", "REGISTER", "Contact: " + std::string(contacts) + "\n"),
                              removed);
    };
    const std::string two = "<sip:a@192.0.2.1>;expires=60, <sip:a@192.0.2.2>;expires=60";
    CHECK(title_after_removal(two, "<sip:a@192.0.2.2>;expires=0") == "200 OK to REGISTER, 2 bindings, 1 removal ignored");
    CHECK(title_after_removal(two, "*") == "200 OK to REGISTER, 2 bindings, 2 removals ignored");
    CHECK(title_after_removal(two, "<sip:a@192.0.2.3>;expires=0") == "200 OK to REGISTER, 2 bindings");
    CHECK(title_after_removal(two, "") == "200 OK to REGISTER, 2 bindings");
}

TEST_CASE("a 2xx title leaves out a count of zero where no Contact is due", "[title]") {
    // a 2xx that makes a dialog must carry one (12.1.1): a missing one is said
    CHECK(title_of("SIP/2.0 200 OK", "INVITE", "") == "200 OK to INVITE, no Contact");
    // (a REFER's only when it was sent outside a dialog, which its request
    // says: alone, none is counted; test_request_rules.cpp has the rest)
    CHECK(title_of("SIP/2.0 200 OK", "REFER", "") == "200 OK to REFER");
    // BYE, OPTIONS, MESSAGE, NOTIFY: none expected, so none counted
    CHECK(title_of("SIP/2.0 200 OK", "MESSAGE", "") == "200 OK to MESSAGE");
    CHECK(title_of("SIP/2.0 200 OK", "NOTIFY", "") == "200 OK to NOTIFY");
    CHECK(title_of("SIP/2.0 200 OK", "OPTIONS", "Contact: <sip:bob@192.0.2.4>\n") == "200 OK to OPTIONS, 1 Contact");
    CHECK(title_of("SIP/2.0 200 OK", "INVITE",
                   "Contact: <sip:bob@192.0.2.4>, <sip:bob@192.0.2.5>\n") == "200 OK to INVITE, 2 Contacts");
}

TEST_CASE("a 3xx title counts its targets, whatever the method", "[title]") {
    CHECK(title_of("SIP/2.0 302 Moved Temporarily", "INVITE",
                   "Contact: <sip:bob@192.0.2.4>;q=0.7, <sip:bob@198.51.100.9>;q=0.1\n") ==
          "302 Moved Temporarily, 2 targets");
    CHECK(title_of("SIP/2.0 301 Moved Permanently", "INVITE", "Contact: <sip:carol@example.net>\n") ==
          "301 Moved Permanently, 1 target");
    CHECK(title_of("SIP/2.0 302 Moved Temporarily", "INVITE", "") == "302 Moved Temporarily, no targets");
}

TEST_CASE("a title without a readable CSeq has no method", "[title]") {
    CHECK(title_of_bytes(sipresp::test::crlf("SIP/2.0 200 OK\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa1\n"
                                             "Call-ID: c1\nContent-Length: 0\n\n")) == "200 OK");
}

TEST_CASE("an unregistered code is named by the code it is handled as (8.1.3.2)", "[title]") {
    // 399 is no registered code: a client treats it as 300, whose name it
    // must not be given as if it were its own
    CHECK(title_of("SIP/2.0 399 Something Else", "INVITE", "Contact: <sip:bob@192.0.2.4>\n") ==
          "399 (handled as 300 Multiple Choices), 1 target");
    CHECK(title_of("SIP/2.0 299 Fine", "OPTIONS", "") == "299 (handled as 200 OK) to OPTIONS");
    CHECK(title_of("SIP/2.0 302 Moved Temporarily", "INVITE", "Contact: <sip:bob@192.0.2.4>\n") ==
          "302 Moved Temporarily, 1 target");
}

TEST_CASE("a reason phrase is shown only where it is not the registered name", "[title]") {
    // The reason phrase is for people (RFC 3261 7.2, 21): a stack may write
    // any, and only the code counts. One that differs is worth seeing beside
    // the registered name; the same one, in any case, is not.
    const auto other = [](int code, std::string_view reason) {
        return std::string(other_reason_phrase(describe_status(code, "INVITE"), reason));
    };
    CHECK(other(200, "Answering") == "Answering");
    CHECK(other(302, "Found") == "Found");
    CHECK(other(399, "Something Else") == "Something Else");
    CHECK(other(200, "OK") == "");
    CHECK(other(302, "moved temporarily") == "");
    CHECK(other(302, "") == "");
    CHECK(other(399, "") == "");
}
