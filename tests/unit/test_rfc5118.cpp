// RFC 5118, the SIP torture test messages for IPv6: every one read without a
// crash, and read to what the RFC says, for the parts sipresp uses (the
// Request-URI and Contact hosts and ports, Via branch, Call-ID, CSeq, body).
// The messages are in unit/rfc5118/ (README.md there: where they come from).
#include "catch.h"

#include <string>
#include <string_view>
#include <vector>

#include "capture_tracker.h"
#include "header_values.h"
#include "message.h"
#include "name_addr.h"
#include "rfc_messages.h"
#include "transaction.h"
#include "uri.h"

using namespace sipresp;

namespace {

// Sections 4.1 to 4.10, in the RFC's order: twelve messages.
const char* const kAllMessages[] = {
    "ipv6-good",   "ipv6-bad",          "port-ambiguous", "port-unambiguous",
    "via-received-param-with-delim",    "via-received-param-no-delim",
    "ipv6-in-sdp", "mult-ip-in-header", "mult-ip-in-sdp", "ipv4-mapped-ipv6",
    "ipv6-bug-abnf-3-colons",           "ipv6-correct-abnf-2-colons",
};

struct Ipv6Message : test::RfcMessage {
    explicit Ipv6Message(std::string_view name) : RfcMessage(SIPRESP_RFC5118_DIR, name) {}
    Uri request_uri() const { return parse_uri(message.request_uri); }
    Uri to_uri() const { return parse_name_addr(value(HeaderId::to)).uri; }
};

}  // namespace

TEST_CASE("RFC 5118: every IPv6 torture message is read and tracked without a crash", "[rfc5118]") {
    CaptureTracker tracker;
    std::uint32_t frame = 0;
    for (const char* name : kAllMessages) {
        INFO(name);
        Ipv6Message m(name);
        // all twelve are well-formed SIP; 4.2 and 4.10's first differ only
        // in a URI, which a message reader need not understand
        REQUIRE(m.message.status == ParseStatus::complete);
        (void)caller_keys(m.message);
        (void)summarize_request(m.message);
        for (const NameAddr& c : m.contacts()) (void)c.valid;
        ++frame;
        tracker.observe({frame, 0, std::int64_t(frame) * 1'000'000, true}, m.bytes);
        tracker.observe({frame, 0, std::int64_t(frame) * 1'000'000, false}, m.bytes);
    }
    CHECK(frame == 12);
}

TEST_CASE("RFC 5118 4.1-4.2: an IPv6 host in a SIP URI needs its brackets", "[rfc5118]") {
    Ipv6Message good("ipv6-good");
    const Uri ruri = good.request_uri();
    REQUIRE(ruri.valid);
    CHECK(ruri.host == "[2001:db8::10]");
    CHECK_FALSE(ruri.has_port);
    test::check_cseq(good.message, 98176, "REGISTER");
    const std::vector<NameAddr> contacts = good.contacts();
    REQUIRE(contacts.size() == 1);
    REQUIRE(contacts[0].valid);
    CHECK(contacts[0].uri.host == "[2001:db8::1]");
    CHECK(contacts[0].display_name() == "Caller");
    CHECK(top_via_branch(good.message) == "z9hG4bKas3-111");

    // the same host without brackets: "2001" and then a port that is not one
    Ipv6Message bad("ipv6-bad");
    CHECK(bad.message.request_uri == "sip:2001:db8::10");
    CHECK_FALSE(bad.request_uri().valid);
}

TEST_CASE("RFC 5118 4.3-4.4: a port inside the brackets is part of the address, after them a port",
          "[rfc5118]") {
    Ipv6Message ambiguous("port-ambiguous");
    const Uri a = ambiguous.request_uri();
    REQUIRE(a.valid);
    CHECK(a.host == "[2001:db8::10:5070]");
    CHECK_FALSE(a.has_port);

    Ipv6Message unambiguous("port-unambiguous");
    const Uri b = unambiguous.request_uri();
    REQUIRE(b.valid);
    CHECK(b.host == "[2001:db8::10]");
    CHECK(b.port == "5070");

    CHECK_FALSE(uri_equal(a, b));
}

TEST_CASE("RFC 5118 4.5: an IPv6 received parameter, with and without brackets, leaves the branch readable",
          "[rfc5118]") {
    Ipv6Message with("via-received-param-with-delim");
    CHECK(top_via_branch(with.message) == "z9hG4bKas3-111");
    CHECK(to_tag(with.message) == "bd76ya");
    Ipv6Message without("via-received-param-no-delim");
    CHECK(top_via_branch(without.message) == "z9hG4bKas3");
    const std::vector<NameAddr> contacts = without.contacts();
    REQUIRE(contacts.size() == 1);
    CHECK(contacts[0].uri.host == "[2001:db8::9:1]");
}

TEST_CASE("RFC 5118 4.6-4.8: IPv6 in SDP bodies and mixed address families in Vias", "[rfc5118]") {
    // over UDP the datagram may hold more than Content-Length: the body is
    // what Content-Length says (RFC 3261 18.3)
    Ipv6Message sdp("ipv6-in-sdp");
    CHECK(sdp.message.body.size() == 241);
    CHECK(sdp.contacts().at(0).uri.host == "[2001:db8::20]");
    CHECK(sdp.to_uri().host == "[2001:db8::10]");

    Ipv6Message header("mult-ip-in-header");
    CHECK(header.message.count(HeaderId::via) == 3);
    CHECK(top_via_branch(header.message) == "z9hG4bKas3-111");
    CHECK(header.message.find(HeaderId::call_id)->value == "997077@lau_4100");

    Ipv6Message mixed("mult-ip-in-sdp");
    CHECK(mixed.message.body.size() == 181);
    CHECK(mixed.contacts().at(0).uri.host == "[2001:db8::9:1]");
}

TEST_CASE("RFC 5118 4.9: an IPv4-mapped IPv6 address is an IPv6 reference like any other", "[rfc5118]") {
    Ipv6Message m("ipv4-mapped-ipv6");
    const std::vector<NameAddr> contacts = m.contacts();
    REQUIRE(contacts.size() == 1);
    REQUIRE(contacts[0].valid);
    CHECK(contacts[0].uri.host == "[::ffff:192.0.2.2]");
    CHECK(contacts[0].display_name() == "T. desk phone");
    CHECK(top_via_branch(m.message) == "z9hG4bKbh19");
}

TEST_CASE("RFC 5118 4.10: three colons before an embedded IPv4 address make no IPv6 address, two do",
          "[rfc5118]") {
    Ipv6Message three("ipv6-bug-abnf-3-colons");
    CHECK_FALSE(three.request_uri().valid);
    CHECK_FALSE(three.to_uri().valid);
    Ipv6Message two("ipv6-correct-abnf-2-colons");
    REQUIRE(two.request_uri().valid);
    CHECK(two.request_uri().host == "[2001:db8::192.0.2.1]");
    CHECK(two.to_uri().host == "[2001:db8::192.0.2.1]");
}
