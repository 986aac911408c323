// What identifies a transaction and a dialog, read from the headers as real
// stacks write them: the top Via's branch (8.1.1.7, 20.42) and the To tag
// (20.39), including the forms a shortcut for the usual spelling must leave
// to the general reader (whitespace, quotes, several values, display names).
#include "catch.h"

#include <string>

#include "sip_text.h"
#include "transaction.h"

using namespace sipresp;
using sipresp::test::Parsed;

namespace {

std::string with_headers(std::string_view via, std::string_view to) {
    std::string text = "OPTIONS sip:bob@example.com SIP/2.0\nVia: ";
    text += via;
    text += "\nFrom: <sip:alice@example.com>;tag=f1\nTo: ";
    text += to;
    text += "\nCall-ID: c1@192.0.2.1\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n";
    return text;
}

std::string branch_of(std::string_view via) {
    const Parsed p(with_headers(via, "<sip:bob@example.com>"));
    REQUIRE(p.message.status == ParseStatus::complete);
    return std::string(top_via_branch(p.message));
}

}  // namespace

TEST_CASE("the top Via's branch, however the Via is written", "[transaction]") {
    // the usual spelling, and branch after other parameters
    CHECK(branch_of("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa1") == "z9hG4bKa1");
    CHECK(branch_of("SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bKa2") == "z9hG4bKa2");
    CHECK(branch_of("SIP/2.0/UDP 192.0.2.1;received=192.0.2.9;branch=z9hG4bKa3;rport") == "z9hG4bKa3");
    CHECK(branch_of("SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKv6") == "z9hG4bKv6");
    // parameter names are case-insensitive (7.3.1)
    CHECK(branch_of("SIP/2.0/UDP host;BRANCH=z9hG4bKup") == "z9hG4bKup");
    // SEMI and EQUAL allow whitespace around them (25.1)
    CHECK(branch_of("SIP/2.0/UDP host ; branch = z9hG4bKsp ;rport") == "z9hG4bKsp");
    CHECK(branch_of("SIP/2.0/UDP host;branch=z9hG4bKtab\t;rport") == "z9hG4bKtab");
    // a longer name that starts with "branch" is another parameter
    CHECK(branch_of("SIP/2.0/UDP host;branchx=1;branch=z9hG4bKb") == "z9hG4bKb");
    // a ';' inside a quoted value separates nothing
    CHECK(branch_of("SIP/2.0/UDP host;x=\"a;branch=no\";branch=z9hG4bKyes") == "z9hG4bKyes");
    // only the first value of a Via list is the top Via (7.3.1, 20.42)
    CHECK(branch_of("SIP/2.0/UDP h1;branch=z9hG4bKfirst, SIP/2.0/UDP h2;branch=z9hG4bKsecond") == "z9hG4bKfirst");
    CHECK(branch_of("SIP/2.0/UDP h1, SIP/2.0/UDP h2;branch=z9hG4bKsecond").empty());
    CHECK(branch_of("SIP/2.0/UDP h1;rport, SIP/2.0/UDP h2;branch=z9hG4bKsecond").empty());
    // a comma inside <...> separates no values: the branch runs past it
    CHECK(branch_of("SIP/2.0/UDP host;branch=a<b,c>d") == "a<b,c>d");
    CHECK(branch_of("SIP/2.0/UDP <host;branch=1,2>;x") == "1,2>");
    // empty list elements are skipped (7.3.1)
    CHECK(branch_of(", SIP/2.0/UDP h1;branch=z9hG4bKafter") == "z9hG4bKafter");
    // no branch, or one without a value
    CHECK(branch_of("SIP/2.0/UDP host;received=192.0.2.9").empty());
    CHECK(branch_of("SIP/2.0/UDP host").empty());
    CHECK(branch_of("SIP/2.0/UDP host;branch").empty());
    CHECK(branch_of("SIP/2.0/UDP host;branch=").empty());
    CHECK(branch_of("SIP/2.0/UDP host;branch=;rport").empty());
}

TEST_CASE("the branch comes from the first Via header line", "[transaction]") {
    const Parsed p("ACK sip:bob@example.com SIP/2.0\n"
                   "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKtop\n"
                   "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKbelow\n"
                   "From: <sip:alice@example.com>;tag=f1\nTo: <sip:bob@example.com>\n"
                   "Call-ID: c1\nCSeq: 1 ACK\nContent-Length: 0\n\n");
    CHECK(top_via_branch(p.message) == "z9hG4bKtop");
}

TEST_CASE("a To tag is a header parameter, not a URI parameter", "[transaction]") {
    const auto tagged = [](std::string_view to) {
        const Parsed p(with_headers("SIP/2.0/UDP host;branch=z9hG4bK1", to));
        REQUIRE(p.message.status == ParseStatus::complete);
        return !to_tag(p.message).empty();
    };
    CHECK(tagged("<sip:bob@example.com>;tag=t1"));
    CHECK(tagged("<sip:bob@example.com> ; tag = t1"));
    CHECK(tagged("<sip:bob@example.com>;TAG=t1"));
    CHECK(tagged("<sip:bob@example.com>;x=1;tag=t1"));
    CHECK(tagged("Bob <sip:bob@example.com>;tag=t1"));
    CHECK(tagged("\"Bob; <Jr>\" <sip:bob@example.com>;tag=t1"));
    // a bare addr-spec: whatever follows the first ';' is the header's (20.10)
    CHECK(tagged("sip:bob@example.com;tag=t1"));
    CHECK_FALSE(tagged("<sip:bob@example.com>"));
    CHECK_FALSE(tagged("<sip:bob@example.com;tag=inside>"));
    CHECK_FALSE(tagged("\"Bob;tag=quoted\" <sip:bob@example.com>"));
    CHECK_FALSE(tagged("<sip:bob@example.com>;tagx=1"));
    CHECK_FALSE(tagged("<sip:bob@example.com>;tag"));
    CHECK_FALSE(tagged("sip:bob@example.com"));
}

TEST_CASE("the dialog key holds the To tag's value, compared without case", "[transaction]") {
    const auto key = [](std::string_view to) {
        const Parsed p(with_headers("SIP/2.0/UDP host;branch=z9hG4bK1", to));
        REQUIRE(p.message.status == ParseStatus::complete);
        return dialog_ack_key(p.message);
    };
    const std::uint64_t plain = key("<sip:bob@example.com>;tag=abc");
    CHECK(key("\"Bob\" <sip:bob@example.com> ; tag = abc") == plain);
    CHECK(key("sip:bob@example.com;tag=ABC") == plain);
    CHECK(key("<sip:bob@example.com>;x=1;tag=abc;y=2") == plain);
    CHECK(key("<sip:bob@example.com>;tag=abd") != plain);
    CHECK(key("<sip:bob@example.com>") != plain);
}

TEST_CASE("the To tag read once is the header parameter, and what the summary and dialog key are made of", "[transaction]") {
    // (To value, its tag as 20.39 and 25.1 make it: a header parameter,
    // value without the LWS around '=')
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"<sip:bob@example.com>;tag=abc", "abc"},
        {"\"Bob\" <sip:bob@example.com> ; tag = abc", "abc"},
        {"\"Bob\" <sip:bob@example.com>;TAG=x", "x"},
        {"<sip:bob@example.com>", ""},
        {"<sip:bob@example.com;tag=inside>", ""},  // a URI parameter, not the header's
    };
    const Parsed reference(with_headers("SIP/2.0/UDP host;branch=z9hG4bK1", "<sip:bob@example.com>;tag=abc"));
    for (const auto& [to, expected] : cases) {
        INFO(to);
        const Parsed p(with_headers("SIP/2.0/UDP host;branch=z9hG4bK1", to));
        REQUIRE(p.message.status == ParseStatus::complete);
        CHECK(to_tag(p.message) == expected);
        CHECK(summarize_request(p.message, to_tag(p.message)).to_tag == !expected.empty());
        // the same Call-ID and tag "abc" is the same dialog, whatever the To looks like
        CHECK((dialog_ack_key(p.message, to_tag(p.message)) == dialog_ack_key(reference.message)) ==
              (expected == "abc"));
    }
}
