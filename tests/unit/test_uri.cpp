// URI reading (19.1.1) and URI equality (19.1.4, whose examples are used here).
#include "catch.h"

#include <string>
#include <vector>

#include "numbered_parameters.h"
#include "uri.h"

using namespace sipresp;
using sipresp::tools::numbered_parameters;

TEST_CASE("a full SIPS URI splits into its parts", "[uri]") {
    const Uri u = parse_uri("sips:alice:secret@[2001:db8::10]:5061;transport=tcp;lr?Subject=hi&Priority=urgent");
    REQUIRE(u.valid);
    CHECK(u.scheme == UriScheme::sips);
    CHECK(u.user == "alice");
    CHECK(u.password == "secret");
    CHECK(u.host == "[2001:db8::10]");
    CHECK(u.port == "5061");
    CHECK(u.params == "transport=tcp;lr");
    CHECK(u.headers == "Subject=hi&Priority=urgent");
}

TEST_CASE("a user part may hold semicolons and question marks (user-unreserved)", "[uri]") {
    const Uri u = parse_uri("sip:user;par=u%40example.net@example.com");
    REQUIRE(u.valid);
    CHECK(u.user == "user;par=u%40example.net");
    CHECK(u.host == "example.com");
    CHECK(u.params.empty());
}

TEST_CASE("host only, IPv6 without port, scheme case", "[uri]") {
    const Uri a = parse_uri("SIP:example.com");
    REQUIRE(a.valid);
    CHECK(a.scheme == UriScheme::sip);
    CHECK_FALSE(a.has_user);
    const Uri b = parse_uri("sip:[::1];transport=udp");
    REQUIRE(b.valid);
    CHECK(b.host == "[::1]");
    CHECK_FALSE(b.has_port);
    CHECK(b.params == "transport=udp");
}

TEST_CASE("tel and other schemes", "[uri]") {
    const Uri t = parse_uri("tel:+1-201-555-0123;phone-context=example.com");
    REQUIRE(t.valid);
    CHECK(t.scheme == UriScheme::tel);
    CHECK(t.user == "+1-201-555-0123");
    CHECK(t.params == "phone-context=example.com");
    const Uri m = parse_uri("mailto:bob@example.com");
    REQUIRE(m.valid);
    CHECK(m.scheme == UriScheme::other);
    CHECK(m.scheme_name == "mailto");
}

TEST_CASE("unreadable URIs say why", "[uri]") {
    CHECK_FALSE(parse_uri("example.com").valid);
    CHECK_FALSE(parse_uri("sip:").valid);
    CHECK_FALSE(parse_uri("sip:[::1").valid);
    CHECK_FALSE(parse_uri("sip:a@b:port").valid);
    CHECK_FALSE(parse_uri("1sip:a@b").valid);
    CHECK(parse_uri("sip:[::1").error != nullptr);
}

static bool eq(std::string_view a, std::string_view b) { return uri_equal(parse_uri(a), parse_uri(b)); }

// eq(a, b), checked to be eq(b, a) too: equality must not depend on which
// URI comes first (duplicate-target takes Contacts in header order).
static bool eq_both_ways(const std::string& a, const std::string& b) {
    const bool forward = eq(a, b);
    CHECK(eq(b, a) == forward);
    return forward;
}

// `head` followed by `count` numbered parameters (or headers) and a
// separator before whatever comes next.
static std::string listed(const std::string& head, int count, bool reversed, char separator = ';') {
    return head + numbered_parameters(count, reversed, separator) + (count ? std::string(1, separator) : "");
}

TEST_CASE("19.1.4: URIs that are equal", "[uri][equality]") {
    CHECK(eq("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));
    CHECK(eq("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
    CHECK(eq("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
    CHECK(eq("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"));
    CHECK(eq("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
             "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
    CHECK(eq("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
             "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
}

TEST_CASE("19.1.4: URIs that are not equal", "[uri][equality]") {
    CHECK_FALSE(eq("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"));  // user case
    CHECK_FALSE(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));  // explicit default port
    CHECK_FALSE(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));  // the RFC's own example
    CHECK_FALSE(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"));
    CHECK_FALSE(eq("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
    CHECK_FALSE(eq("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
    CHECK_FALSE(eq("sip:bob@example.com", "sips:bob@example.com"));
    CHECK_FALSE(eq("sip:bob@example.com;user=phone", "sip:bob@example.com"));  // user param in one only
    CHECK_FALSE(eq("sip:bob@example.com;maddr=10.0.0.1", "sip:bob@example.com"));
    CHECK_FALSE(eq("sip:bob@example.com;transport=tcp", "sip:bob@example.com;transport=udp"));
}

static bool sent_to(std::string_view request_uri, std::string_view target) {
    return request_uri_names_target(parse_uri(request_uri), parse_uri(target));
}

TEST_CASE("a request follows a target without the target's headers and method parameter", "[uri][equality]") {
    // 19.1.1 Table 1 keeps both out of a Request-URI; 19.1.5 turns the
    // headers into header fields of the request built from the target
    CHECK(sent_to("sip:conf@192.0.2.4", "sip:conf@192.0.2.4?Subject=weekly"));
    CHECK(sent_to("sip:conf@192.0.2.4", "sip:conf@192.0.2.4;method=INVITE"));
    CHECK(sent_to("sip:conf@192.0.2.4;transport=tcp",
                  "sip:conf@192.0.2.4;transport=tcp;method=INVITE?Subject=weekly&Priority=urgent"));
    CHECK(sent_to("sip:bob@example.com", "sip:bob@EXAMPLE.com"));
    // a Request-URI that kept them anyway still names the target
    CHECK(sent_to("sip:conf@192.0.2.4?Subject=weekly", "sip:conf@192.0.2.4?Subject=weekly"));
    // everything else compares as 19.1.4 says
    CHECK_FALSE(sent_to("sip:conf@192.0.2.4:5060", "sip:conf@192.0.2.4?Subject=weekly"));
    CHECK_FALSE(sent_to("sip:conf@192.0.2.5", "sip:conf@192.0.2.4;method=INVITE"));
    CHECK_FALSE(sent_to("sip:conf@192.0.2.4", "sip:conf@192.0.2.4;transport=tcp?Subject=weekly"));
    CHECK_FALSE(sent_to("sip:Conf@192.0.2.4", "sip:conf@192.0.2.4?Subject=weekly"));
    CHECK_FALSE(sent_to("sip:conf@192.0.2.4;method=INVITE", "sip:conf@192.0.2.4"));  // only the target's is left out
    CHECK_FALSE(sent_to("sip:conf@192.0.2.4", "sips:conf@192.0.2.4?Subject=weekly"));
    CHECK_FALSE(sent_to("sip:conf@192.0.2.4", "sip:"));
}

TEST_CASE("a Request-URI prepared once names each target as it does alone", "[uri][equality]") {
    // one UriComparedOften per request, compared with every target in
    // turn, must answer each pair as request_uri_names_target does
    const std::string forward = numbered_parameters(40, false), backward = numbered_parameters(40, true);
    const std::vector<std::string> requests = {
        "sip:conf@192.0.2.4;" + forward,
        "sip:conf@192.0.2.4;transport=tcp;" + backward,
        "sip:conf@192.0.2.4;" + backward + ";method=INVITE",
        "sip:conf@192.0.2.4;p7=other;" + forward,
        "sip:conf@192.0.2.4",
    };
    const std::vector<std::string> targets = {
        "sip:conf@192.0.2.4;" + backward,
        "sip:conf@192.0.2.4;" + backward + ";method=INVITE?Subject=weekly&" + numbered_parameters(20, false, '&'),
        "sip:conf@192.0.2.4;transport=tcp;" + forward + "?Subject=weekly",
        "sip:conf@192.0.2.4;" + forward + ";user=phone",
        "sip:conf@192.0.2.5;" + forward,
        "sip:conf@192.0.2.4",
    };
    int named = 0;
    for (const std::string& r : requests) {
        const Uri request = parse_uri(r);
        const UriComparedOften often(request);
        for (const std::string& t : targets) {
            INFO(r << " -> " << t);
            const Uri target = parse_uri(t);
            const bool expected = request_uri_names_target(request, target);
            CHECK(request_uri_names_target(often, target) == expected);
            named += expected;
        }
    }
    // requests 1 and 5 name targets 1, 2 and 6 (19.1.4 ignores a
    // parameter in one only; the target's headers and method are left
    // out); request 2 names target 3 (transport is strict), request 3
    // target 2 (the same method), request 4 target 6 alone (its first p7
    // differs wherever p7 is written)
    CHECK(named == 9);
}

static bool dials(std::string_view request_uri, std::string_view target) {
    return request_uri_dials_target(parse_uri(request_uri), parse_uri(target));
}

TEST_CASE("a SIP URI marked user=phone dials a tel target at a host of the client's choosing", "[uri][equality]") {
    // 19.1.6: the telephone-subscriber becomes the user part, its parameters
    // with it, user=phone is added, and the host is one the client picks
    CHECK(dials("sip:+12015550123@gw.example.net;user=phone", "tel:+12015550123"));
    CHECK(dials("sips:+12015550123@gw.example.net;user=phone", "tel:+12015550123"));
    CHECK(dials("sip:+1-201-555-0123@192.0.2.9:5080;user=phone;transport=tcp", "tel:+12015550123"));
    CHECK(dials("sip:+12015550123@gw.example.net;user=phone", "tel:+1-201-555-0123"));
    CHECK(dials("sip:+358-555-1234567;postd=pp22@foo.com;user=phone", "tel:+358-555-1234567;postd=pp22"));
    CHECK(dials("sip:7042;phone-context=example.com@example.com;user=phone", "tel:7042;phone-context=example.com"));
    CHECK(dials("sip:+12015550123@gw.example.net;USER=Phone", "tel:+12015550123"));
    // not marked as a telephone number: a user part that merely looks like one
    CHECK_FALSE(dials("sip:+12015550123@gw.example.net", "tel:+12015550123"));
    CHECK_FALSE(dials("sip:+12015550123@gw.example.net;user=ip", "tel:+12015550123"));
    // another number, or the same number without (or with other) parameters
    CHECK_FALSE(dials("sip:+12015550124@gw.example.net;user=phone", "tel:+12015550123"));
    CHECK_FALSE(dials("sip:+1201555012@gw.example.net;user=phone", "tel:+12015550123"));
    CHECK_FALSE(dials("sip:+358-555-1234567@foo.com;user=phone", "tel:+358-555-1234567;postd=pp22"));
    CHECK_FALSE(dials("sip:7042;phone-context=example.org@example.com;user=phone",
                      "tel:7042;phone-context=example.com"));
    // only a tel target is dialled this way: a SIP target names its host
    CHECK_FALSE(dials("sip:+12015550123@gw2.example.net;user=phone", "sip:+12015550123@gw1.example.net;user=phone"));
    CHECK_FALSE(dials("sip:+12015550123@gw.example.net;user=phone", "tel:"));
    CHECK_FALSE(dials("sip:@gw.example.net;user=phone", "tel:+12015550123"));
}

static bool dials_number(std::string_view request_uri, std::string_view target) {
    return request_uri_dials_number_of(parse_uri(request_uri), parse_uri(target));
}

TEST_CASE("a SIP URI marked user=phone dials the number of a SIP target marked so, at any host", "[uri][equality]") {
    // a number portability answer written as a SIP URI, routed by the
    // switch to its own gateway: the number and its parameters are the
    // same, the host is the switch's (19.1.6, RFC 3966 4)
    CHECK(dials_number("sip:+12015550133;npdi;rn=+12015559999@gw.carrier.net;user=phone",
                       "sip:+12015550133;npdi;rn=+12015559999@lnp.example.net;user=phone"));
    CHECK(dials_number("sip:+1-201-555-0133@gw.carrier.net:5080;user=phone;transport=tcp",
                       "sip:+12015550133@lnp.example.net;user=phone"));
    CHECK(dials_number("sip:+12015550133@lnp.example.net;user=phone;transport=tcp",
                       "sip:+12015550133@lnp.example.net;user=phone;transport=udp"));
    CHECK(dials_number("sips:+12015550133@gw.carrier.net;user=phone", "sip:+12015550133@lnp.example.net;user=phone"));
    CHECK(dials_number("sips:+12015550133@gw.carrier.net;user=phone", "sips:+12015550133@lnp.example.net;user=phone"));
    // a SIPS target is not dialled over SIP (no downgrade, 8.1.3.4)
    CHECK_FALSE(dials_number("sip:+12015550133@gw.carrier.net;user=phone", "sips:+12015550133@lnp.example.net;user=phone"));
    // either side not marked user=phone: a user part, not a number
    CHECK_FALSE(dials_number("sip:+12015550133@gw.carrier.net", "sip:+12015550133@lnp.example.net;user=phone"));
    CHECK_FALSE(dials_number("sip:+12015550133@gw.carrier.net;user=phone", "sip:+12015550133@lnp.example.net"));
    CHECK_FALSE(dials_number("sip:+12015550133@gw.carrier.net;user=ip", "sip:+12015550133@lnp.example.net;user=ip"));
    // another number, or the number without the target's parameters
    CHECK_FALSE(dials_number("sip:+12015550134@gw.carrier.net;user=phone", "sip:+12015550133@lnp.example.net;user=phone"));
    CHECK_FALSE(dials_number("sip:+12015550133@gw.carrier.net;user=phone",
                             "sip:+12015550133;npdi;rn=+12015559999@lnp.example.net;user=phone"));
    CHECK_FALSE(dials_number("sip:+12015550133;npdi;rn=+12015558888@gw.carrier.net;user=phone",
                             "sip:+12015550133;npdi;rn=+12015559999@lnp.example.net;user=phone"));
    // a tel target is dialled (request_uri_dials_target), not this; nor a
    // tel Request-URI, which is no number written in a SIP URI
    CHECK_FALSE(dials_number("sip:+12015550133@gw.carrier.net;user=phone", "tel:+12015550133"));
    CHECK_FALSE(dials_number("tel:+12015550133", "sip:+12015550133@lnp.example.net;user=phone"));
    CHECK_FALSE(dials_number("sip:+12015550133@gw.carrier.net;user=phone", "sip:lnp.example.net;user=phone"));
}

TEST_CASE("the tel URI a SIP Request-URI dials has the digest of the tel URI itself", "[uri][equality]") {
    // a tracker keys targets by uri_equality_digest: a Request-URI dialling
    // a tel target must find it under the same key
    const Uri dialled = telephone_uri_of(parse_uri("sip:+1-201-555-0123;postd=pp22@gw.example.net;user=phone"));
    REQUIRE(dialled.valid);
    CHECK(dialled.scheme == UriScheme::tel);
    CHECK(dialled.user == "+1-201-555-0123");
    CHECK(dialled.params == "postd=pp22");
    CHECK(uri_equality_digest(dialled) == uri_equality_digest(parse_uri("tel:+12015550123;postd=pp22")));
    CHECK_FALSE(telephone_uri_of(parse_uri("sip:+12015550123@gw.example.net")).valid);
    CHECK_FALSE(telephone_uri_of(parse_uri("tel:+12015550123")).valid);  // already one: nothing to turn
    CHECK_FALSE(telephone_uri_of(parse_uri("sip:gw.example.net;user=phone")).valid);  // no user part
}


TEST_CASE("long parameter and header lists compare as short ones do", "[uri][equality]") {
    // a hostile URI may hold thousands of parameters; compared name by
    // name, in whatever order, with the same outcome as a short list
    for (const int count : {3, 40, 600}) {
        INFO(count << " parameters");
        const std::string forward = numbered_parameters(count, false), backward = numbered_parameters(count, true);
        const std::string sip = "sip:bob@example.com;";
        CHECK(eq(sip + forward, sip + backward));
        CHECK(eq(sip + forward + ";lr", sip + backward));        // lr in one only: ignored (19.1.4)
        CHECK(eq(sip + "P1=V1;" + forward, sip + backward));     // the first p1 counts, in any case
        CHECK_FALSE(eq(sip + forward + ";user=phone", sip + backward));  // strict in one only
        CHECK_FALSE(eq(sip + "p1=other;" + forward, sip + backward));    // the first p1 differs
        CHECK_FALSE(eq(sip + forward + ";maddr=192.0.2.1", sip + backward + ";maddr=192.0.2.2"));
        // escapes resolved in names ("%70" is "p"), an escaped reserved
        // character kept apart from the character itself
        CHECK(eq(sip + "%70" + forward.substr(1), sip + backward));
        CHECK(eq(sip + forward + ";a%3Db=1", sip + backward + ";a%3db=1"));
        CHECK_FALSE(eq(sip + forward + ";user%3D=1", sip + backward + ";user==1"));
        // headers: every one on both sides, values case-sensitive
        const std::string headers_forward = numbered_parameters(count, false, '&'), headers_backward = numbered_parameters(count, true, '&');
        CHECK(eq(sip + "lr?" + headers_forward, sip + "lr?" + headers_backward));
        CHECK_FALSE(eq(sip + "lr?" + headers_forward + "&x=1", sip + "lr?" + headers_backward));
        CHECK_FALSE(eq(sip + "lr?h=A&" + headers_forward, sip + "lr?h=a&" + headers_backward));
        // tel: every parameter counts (RFC 3966 4)
        CHECK(eq("tel:+12015550123;" + forward, "tel:+1-201-555-0123;" + backward));
        CHECK_FALSE(eq("tel:+12015550123;" + forward + ";npdi", "tel:+12015550123;" + backward));
        CHECK(dials("sip:+12015550123;" + forward + "@gw.example.net;user=phone", "tel:+12015550123;" + backward));
    }
}

TEST_CASE("parameter names compare by what they spell, however long the list", "[uri][equality]") {
    // 19.1.4 resolves %HH in names, but an escaped reserved character is
    // not the character itself, and a name is compared without case. Two
    // parameters of one name with different values make the URIs unequal;
    // two names that differ are each in one URI only, and ignored.
    for (const int count : {0, 40}) {
        INFO(count << " other parameters");
        const std::string sip = listed("sip:bob@example.com;", count, false);
        const std::string other = listed("sip:bob@example.com;", count, true);
        // "%00" is a NUL that is no reserved character, "%2F" an escaped '/'
        CHECK(eq(sip + "%00/=1", other + "%2F=2"));
        CHECK(eq(sip + "%2F=1", other + "/=2"));
        CHECK_FALSE(eq(sip + "%2F=1", other + "%2f=2"));
        CHECK_FALSE(eq(sip + "%00/=1", other + "%00/=2"));
        CHECK_FALSE(eq(sip + "N%41me=1", other + "naME=2"));
        CHECK(eq(sip + "N%41me=1", other + "naME=1"));
        CHECK_FALSE(eq(sip + "n%41me=1;NAME=1", other + "name=2;name=1"));  // b's first counts
        // a strict name, escaped or not, in one only
        CHECK_FALSE(eq(sip + "%4Daddr=192.0.2.1", other + "x=1"));
        CHECK(eq(sip + "M%41DDR=192.0.2.1", other + "maddr=192.0.2.1"));
    }
}

TEST_CASE("a name given twice reads the same whichever URI comes first", "[uri][equality]") {
    // 19.1.4 does not say what a parameter or header given twice means.
    // A parameter is read by its first value, as sipresp reads every
    // parameter; a header given twice is two headers the request would
    // carry, so each name must come as many times on both sides, in the
    // same order. Either way the answer must not depend on which URI is
    // the first.
    for (const int count : {0, 40}) {
        INFO(count << " other parameters");
        const std::string sip = listed("sip:bob@example.com;", count, false);
        const std::string other = listed("sip:bob@example.com;", count, true);
        CHECK(eq_both_ways(sip + "n=1;n=1", other + "n=1;n=2"));
        CHECK(eq_both_ways(sip + "n=1;n=3", other + "n=1;n=2"));
        CHECK(eq_both_ways(sip + "n=1;n=2", other + "n=1"));
        CHECK_FALSE(eq_both_ways(sip + "n=2;n=1", other + "n=1"));
        CHECK_FALSE(eq_both_ways(sip + "n=2;n=1", other + "n=1;n=2"));
        CHECK(eq_both_ways(sip + "transport=tcp;transport=udp", other + "TRANSPORT=TCP"));
        CHECK(eq_both_ways(sip + "N%41me=1;name=2", other + "name=1;NAME=3"));
        const std::string tel = listed("tel:+12015550123;", count, false);
        const std::string tel_other = listed("tel:+1-201-555-0123;", count, true);
        CHECK(eq_both_ways(tel + "ext=1;ext=2", tel_other + "ext=1"));
        CHECK_FALSE(eq_both_ways(tel + "ext=2;ext=1", tel_other + "ext=1"));
    }
    for (const int count : {0, 20}) {
        INFO(count << " other headers");
        const std::string sip = listed("sip:bob@example.com?", count, false, '&');
        const std::string other = listed("sip:bob@example.com?", count, true, '&');
        CHECK_FALSE(eq_both_ways(sip + "h=1&h=1", other + "h=1&k=2"));
        CHECK_FALSE(eq_both_ways(sip + "h=1&h=2", other + "h=1&h=3"));
        CHECK_FALSE(eq_both_ways(sip + "h=1&h=2", other + "h=2&h=1"));  // the order within a name counts
        CHECK_FALSE(eq_both_ways(sip + "h=1&h=1", other + "h=1"));
        CHECK(eq_both_ways(sip + "h=1&k=3&h=2", other + "k=3&h=1&h=2"));  // not the order among names
        CHECK(eq_both_ways(sip + "H=1&h=2", other + "h=1&h=2"));
    }
}

TEST_CASE("a short list against a long one: what only the long one has is passed over, unless strict", "[uri][equality]") {
    // A long list is sorted once and walked beside the other; a stretch of
    // names only one side has is leapt over, and must still be looked at
    // when it holds a strict parameter (19.1.4: user, ttl, method, maddr,
    // transport), which one side alone makes the URIs unequal.
    const std::string long_list = "sip:bob@example.com;" + numbered_parameters(40, false);
    CHECK(eq_both_ways(long_list, "sip:bob@example.com"));
    CHECK(eq_both_ways(long_list, "sip:bob@example.com;p7=v7;other=1"));
    CHECK_FALSE(eq_both_ways(long_list, "sip:bob@example.com;p7=other"));
    CHECK_FALSE(eq_both_ways(long_list + ";maddr=192.0.2.1", "sip:bob@example.com"));
    CHECK_FALSE(eq_both_ways(long_list + ";maddr=192.0.2.1", "sip:bob@example.com;p7=v7"));
    CHECK(eq_both_ways(long_list + ";maddr=192.0.2.1", "sip:bob@example.com;MADDR=192.0.2.1"));
    CHECK_FALSE(eq_both_ways("sip:bob@example.com;ttl=1;" + numbered_parameters(40, true), "sip:bob@example.com;p39=v39"));
    CHECK(eq_both_ways("sip:bob@example.com;ttl=1;" + numbered_parameters(40, true), "sip:bob@example.com;p39=v39;ttl=1"));
    // a target's method may be missing from the Request-URI, not the other way
    CHECK(sent_to(long_list, "sip:bob@example.com;method=INVITE"));
    CHECK(sent_to("sip:bob@example.com", long_list + ";method=INVITE"));
    CHECK_FALSE(sent_to(long_list + ";method=INVITE", "sip:bob@example.com"));
    CHECK_FALSE(sent_to("sip:bob@example.com", long_list + ";method=INVITE;user=phone"));
    // headers and tel parameters are never passed over
    CHECK_FALSE(eq_both_ways("sip:bob@example.com?" + numbered_parameters(20, false, '&'), "sip:bob@example.com?p3=v3"));
    CHECK_FALSE(eq_both_ways("tel:+12015550123;" + numbered_parameters(40, false), "tel:+12015550123;p7=v7"));
}

TEST_CASE("a prepared URI compares with another as uri_equal does", "[uri][equality]") {
    // every ordered pair of these, prepared, must get uri_equal's answer:
    // 19.1.4's examples, repeated names, escapes, strict parameters in one
    // only, headers, tel, other schemes, and not URIs at all
    std::vector<std::string> texts = {
        "sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp",
        "sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on",
        "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
        "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com",
        "sip:alice@atlanta.com?subject=project%20x&priority=urgent",
        "sip:alice@atlanta.com?priority=urgent&subject=project%20x",
        "SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP",
        "sip:bob@biloxi.com", "sip:bob@biloxi.com:5060", "sip:bob@biloxi.com;transport=udp",
        "sip:bob@biloxi.com:6000;transport=tcp", "sip:carol@chicago.com?Subject=next%20meeting",
        "sip:bob@example.com;x=1;x=2", "sip:bob@example.com;x=1", "sip:bob@example.com;x=2;x=1",
        "sip:bob@example.com;X=1;lr", "sip:bob@example.com;user=phone", "sip:bob@example.com;us%65r=phone",
        "sip:bob@example.com;a%3Db=1", "sip:bob@example.com;a%3db=1", "sip:bob@example.com;a==b=1",
        "sip:bob@example.com;maddr=192.0.2.1", "sip:bob@example.com;ttl=1;lr", "sip:bob@example.com;lr;ttl=1",
        "sip:bob@example.com?h=1&h=1", "sip:bob@example.com?h=1&k=2", "sip:bob@example.com?k=2&h=1",
        "sip:bob@example.com?H=1", "sip:bob@example.com?h=1", "sip:bob@example.com?h=A", "sip:bob@example.com?h=a",
        "sip:bob@example.com;p;q=1?h", "sip:bob@example.com;q=1;p?h=", "sip:bob@example.com;x=%31",
        "sip:bob@example.com?h=%41", "tel:+12015550123;ext=%31",
        "sips:bob@example.com", "tel:+1-201-555-0123", "tel:+12015550123", "tel:+12015550123;ext=1",
        "tel:+12015550123;EXT=1", "tel:+12015550123;ext=1;ext=2", "tel:+12015550123;npdi;rn=+12015559999",
        "tel:+12015550123;rn=+12015559999;npdi", "urn:service:sos", "URN:service:sos", "sip:", "nonsense",
        "sip:bob@example.com;%00/=1", "sip:bob@example.com;%00/=2", "sip:bob@example.com;%2F=2",
        "sip:bob@example.com;/=1", "sip:bob@example.com;N%41me=1", "sip:bob@example.com;naME=1",
        "sip:bob@example.com;naME=2", "sip:bob@example.com;M%41DDR=192.0.2.1", "sip:bob@example.com;=",
        "sip:bob@example.com;=1", "sip:bob@example.com;;", "sip:bob@example.com?=", "sip:bob@example.com?&",
    };
    for (const bool reversed : {false, true}) {
        texts.push_back("sip:bob@example.com;" + numbered_parameters(40, reversed));
        texts.push_back("sip:bob@example.com;" + numbered_parameters(40, reversed) + "?" + numbered_parameters(20, !reversed, '&'));
        texts.push_back("tel:+12015550123;" + numbered_parameters(40, reversed));
    }
    texts.push_back("sip:bob@example.com;user=phone;" + numbered_parameters(40, false));
    std::vector<Uri> uris;
    for (const std::string& t : texts) uris.push_back(parse_uri(t));
    std::vector<PreparedUri> prepared(uris.size());
    for (std::size_t i = 0; i < uris.size(); ++i) prepare_uri(uris[i], prepared[i]);
    int equal_pairs = 0;
    for (std::size_t i = 0; i < uris.size(); ++i) {
        for (std::size_t j = 0; j < uris.size(); ++j) {
            INFO(texts[i] << " vs " << texts[j]);
            const bool expected = uri_equal(uris[i], uris[j]);
            CHECK(prepared_uri_equal(prepared[i], prepared[j]) == expected);
            equal_pairs += expected && i != j;
        }
    }
    CHECK(equal_pairs > 20);  // the list holds many equal pairs, not only unequal ones
}

TEST_CASE("a URI equals itself, even with a parameter or header given twice", "[uri][equality]") {
    // 19.1.4 compares parameters and headers by name; given twice with two
    // values, a name-by-name reading would find the first value for both
    // and call the URI unequal to its own copy
    for (const char* text : {"sip:bob@example.com;x=1;x=2", "sip:bob@example.com?h=1&h=2",
                             "sip:bob@example.com;transport=tcp;transport=udp", "sip:%61lice@atlanta.com;lr",
                             "tel:+1-201-555-0123;ext=1;ext=2"}) {
        INFO(text);
        CHECK(eq(text, text));
    }
    CHECK_FALSE(eq("sip:bob@example.com;x=1", "sip:bob@example.com;x=2"));
    CHECK_FALSE(eq("sip:", "sip:"));  // not a URI: equal to nothing, itself included
}

TEST_CASE("an escaped reserved character differs from the plain one", "[uri][equality]") {
    CHECK_FALSE(eq("sip:a%3Bb@example.com", "sip:a;b@example.com"));
    CHECK(eq("sip:a%62c@example.com", "sip:abc@example.com"));
}

TEST_CASE("an escaped parameter or header name is the same name as the plain one", "[uri][equality]") {
    // 19.1.4 resolves escapes in every component, names included: the two
    // values of one parameter then compare, and must match
    CHECK_FALSE(eq("sip:a@example.com;n%61me=1", "sip:a@example.com;name=2"));
    CHECK(eq("sip:a@example.com;n%61me=1", "sip:a@example.com;name=1"));
    // a strict parameter stays strict when its name is escaped
    CHECK_FALSE(eq("sip:a@example.com;%75ser=phone", "sip:a@example.com"));
    CHECK_FALSE(eq("sip:a@example.com", "sip:a@example.com;tr%61nsport=tcp"));
    // header components: the same set, names compared with escapes resolved
    CHECK(eq("sip:a@example.com?Subj%65ct=hi", "sip:a@example.com?Subject=hi"));
    CHECK_FALSE(eq("sip:a@example.com?Subj%65ct=hi", "sip:a@example.com?Subject=ho"));
}

// Why a URI could not be read ("valid" when it could)
static std::string why_unreadable(const char* text) {
    const Uri u = parse_uri(text);
    if (u.valid) return "valid";
    return u.error ? u.error : "no reason given";
}

TEST_CASE("an IPv6 reference holds an IPv6 address (RFC 4291 2.2, RFC 5118 4.10)", "[uri]") {
    for (const char* good : {"sip:[::1]", "sip:[::]", "sip:a@[2001:db8::10]:5070", "sip:a@[2001:DB8:0:0:8:800:200C:417A]",
                             "sip:a@[2001:db8::192.0.2.1]", "sip:a@[::ffff:192.0.2.2]", "sip:a@[1:2:3:4:5:6:7::]",
                             "sip:a@[1:2:3:4:5:6:192.0.2.1]"}) {
        INFO(good);
        CHECK(parse_uri(good).valid);
    }
    for (const char* bad : {"sip:a@[]", "sip:a@[zz]", "sip:a@[2001:db8:::192.0.2.1]", "sip:a@[1::2::3]",
                            "sip:a@[1:2:3:4:5:6:7:8:9]", "sip:a@[1:2:3:4:5:6:7]", "sip:a@[:1:2:3:4:5:6:7]",
                            "sip:a@[1:2:3:4:5:6:7:]", "sip:a@[12345::1]", "sip:a@[::192.0.2.256]",
                            "sip:a@[::1.2.3]", "sip:a@[192.0.2.1]", "sip:a@[1:2:3:4:5:6:7:192.0.2.1]"}) {
        INFO(bad);
        CHECK(why_unreadable(bad) == "IPv6 reference holds no IPv6 address");
    }
}

TEST_CASE("an IPv6 reference with a zone ID is named as such, and stays unreadable (RFC 3261 25.1, RFC 6874)", "[uri]") {
    // RFC 3261's IPv6reference has no zone; stacks on link-local addresses
    // write one all the same, escaped (RFC 6874's %25) or raw
    for (const char* zoned : {"sip:a@[fe80::1%25eth0]:5060", "sip:a@[fe80::1%eth0]", "sip:[fe80::a:b%252]"}) {
        INFO(zoned);
        CHECK(why_unreadable(zoned) == "IPv6 reference with a zone ID ('%'), which SIP URIs do not allow (RFC 3261 25.1)");
    }
    // a '%' after something that is not an IPv6 address: no address at all
    for (const char* bad : {"sip:a@[zz%25eth0]", "sip:a@[%25eth0]", "sip:a@[1::2::3%eth0]"}) {
        INFO(bad);
        CHECK(why_unreadable(bad) == "IPv6 reference holds no IPv6 address");
    }
}

static bool same_digest(std::string_view a, std::string_view b) {
    return uri_equality_digest(parse_uri(a)) == uri_equality_digest(parse_uri(b));
}

TEST_CASE("two IPv6 references are the same host when they name the same address (RFC 5954 4.2)", "[uri][equality]") {
    // leading zeros, letter case, "::" and an embedded IPv4 address are
    // only ways of writing the 128 bits
    const std::pair<const char*, const char*> equal[] = {
        {"sip:bob@[2001:db8::9:1]", "sip:bob@[2001:DB8:0:0:0:0:9:01]"},
        {"sip:bob@[::ffff:192.0.2.128]", "sip:bob@[::ffff:c000:280]"},
        {"sip:bob@[0:0:0:0:0:FFFF:192.0.2.128]", "sip:bob@[::ffff:192.0.2.128]"},
        {"sip:bob@[2001:db8::]", "sip:bob@[2001:db8:0:0:0:0:0:0]"},
        {"sip:[::]", "sip:[0:0:0:0:0:0:0:0]"},
        {"sip:a@[1:2:3:4:5:6:7::]", "sip:a@[1:2:3:4:5:6:7:0]"},
        {"sip:a@[::2:3:4:5:6:7:8]", "sip:a@[0:2:3:4:5:6:7:8]"},
        {"sip:bob@[2001:db8::4]:5070;transport=udp", "sip:bob@[2001:0db8:0000::0004]:5070;transport=UDP"},
    };
    for (const auto& [a, b] : equal) {
        INFO(a << " vs " << b);
        CHECK(eq(a, b));
        CHECK(same_digest(a, b));
    }
    const std::pair<const char*, const char*> different[] = {
        // an IPv4-mapped address is not the IPv4 address
        {"sip:bob@[::ffff:192.0.2.128]", "sip:bob@192.0.2.128"},
        // where the run of zeros stands decides the address
        {"sip:bob@[2001:db8::1]", "sip:bob@[2001:db8::1:0]"},
        {"sip:bob@[1::]", "sip:bob@[::1]"},
        // the port is still compared as written (an omitted one is not 5060)
        {"sip:bob@[::1]:5060", "sip:bob@[0::1]"},
        // the user part still counts
        {"sip:bob@[::1]", "sip:alice@[::1]"},
    };
    for (const auto& [a, b] : different) {
        INFO(a << " vs " << b);
        CHECK_FALSE(eq(a, b));
    }
    CHECK_FALSE(same_digest("sip:bob@[2001:db8::1]", "sip:bob@[2001:db8::1:0]"));
    CHECK_FALSE(same_digest("sip:bob@[::ffff:192.0.2.128]", "sip:bob@192.0.2.128"));
}

TEST_CASE("tel numbers compare without visual separators", "[uri][equality]") {
    CHECK(eq("tel:+1-201-555-0123", "tel:+12015550123"));
    CHECK_FALSE(eq("tel:+1-201-555-0123", "tel:+12015550124"));
    // one number a prefix of the other: the shorter runs out of digits
    // first, whichever side it is on, and the separators do not count
    CHECK_FALSE(eq("tel:+1-201-555-012", "tel:+12015550123"));
    CHECK_FALSE(eq("tel:+12015550123", "tel:+1-201-555-012"));
}

TEST_CASE("tel parameters all count, in any order and case (RFC 3966 4)", "[uri][equality]") {
    // unlike 19.1.4 for SIP, no tel parameter is ignored when one side lacks it
    CHECK(eq("tel:7042;phone-context=example.com", "tel:7042;PHONE-CONTEXT=Example.COM"));
    CHECK(eq("tel:+12015550123;npdi;rn=+12015559999", "tel:+12015550123;rn=+12015559999;npdi"));
    CHECK_FALSE(eq("tel:+12015550123", "tel:+12015550123;npdi"));
    CHECK_FALSE(eq("tel:+12015550123;npdi;rn=+12015559999", "tel:+12015550123;npdi"));
    CHECK_FALSE(eq("tel:+358-555-1234567;postd=pp22", "tel:+358-555-1234567"));
    CHECK_FALSE(eq("tel:+12015550123;ext=1", "tel:+12015550123;ext=2"));
    CHECK_FALSE(eq("tel:+12015550123;npdi", "tel:+12015550123;npdi=yes"));
}

TEST_CASE("URIs equal under 19.1.4 share their table digest", "[uri][equality]") {
    // the tracker finds candidates by digest and lets uri_equal decide:
    // a pair that is equal but digested apart would never be matched
    const std::pair<const char*, const char*> equal[] = {
        {"sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"},
        {"sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"},
        {"sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
         "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"},
        {"sip:a%62c@EXAMPLE.com", "sip:abc@example.com"},
        {"sip:bob@h%2Dost.example.com", "sip:bob@H-OST.example.com"},
        {"sip:bob@biloxi.com:05060", "sip:bob@biloxi.com:5060"},
        {"tel:+1-201-555-0123", "tel:+12015550123"},
        {"tel:+1-201-555-012A", "tel:+1201555012a"},
        {"urn:service:SOS", "URN:service:SOS"},
    };
    for (const auto& [a, b] : equal) {
        INFO(a << " vs " << b);
        REQUIRE(eq(a, b));
        CHECK(same_digest(a, b));
    }
    // and the parts it covers tell apart what differs there
    CHECK_FALSE(same_digest("sip:bob@example.com", "sips:bob@example.com"));
    CHECK_FALSE(same_digest("sip:Bob@example.com", "sip:bob@example.com"));
    CHECK_FALSE(same_digest("sip:bob@example.com", "sip:bob@example.org"));
    CHECK_FALSE(same_digest("sip:bob@example.com", "sip:bob@example.com:5060"));
    CHECK_FALSE(same_digest("sip:bob@example.com:5060", "sip:bob@example.com:5061"));
    CHECK_FALSE(same_digest("sip:bobexample.com", "sip:bob@example.com"));
    CHECK_FALSE(same_digest("tel:+12015550123", "tel:+12015550124"));
}
