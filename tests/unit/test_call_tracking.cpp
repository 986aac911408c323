// RULES.md section 6: following a call across the capture. Each rule has a
// positive and a negative test named after it; flows are built as a UA and
// a redirect server would produce them (RFC 3261 8.1.3.4, 13, 17, 21.3).
#include "catch.h"

#include "call_flow.h"

using namespace sipresp;
using namespace sipresp::test;

namespace {

const Caller kAlice;

// INVITE `ruri` answered by a 3xx listing `contacts`, then ACKed (17.1.1.3:
// the ACK has the INVITE's branch and CSeq number). Returns the 3xx's frame.
std::uint32_t redirected(Flow& f, std::int64_t ms, const Caller& c, std::uint32_t cseq, const std::string& ruri,
                         const std::string& status, const std::string& contacts, bool ack = true) {
    const std::string branch = "z9hG4bK-" + c.call_id + "-" + std::to_string(cseq);
    f.at(ms, sip_request("INVITE", ruri, c, cseq, branch));
    const std::uint32_t frame = f.at(ms + 10, sip_response(status, "INVITE", c, cseq, branch, "rs", contacts));
    if (ack) f.at(ms + 11, sip_request("ACK", ruri, c, cseq, branch, "rs"));
    return frame;
}

// A call answered 200 and ACKed (13.2.2.4: the ACK is a new transaction).
std::uint32_t answered(Flow& f, std::int64_t ms, const Caller& c, std::uint32_t cseq, const std::string& ruri) {
    const std::string branch = "z9hG4bK-" + c.call_id + "-" + std::to_string(cseq);
    const std::uint32_t invite = f.at(ms, sip_request("INVITE", ruri, c, cseq, branch));
    f.at(ms + 20, sip_response("200 OK", "INVITE", c, cseq, branch, "callee", "Contact: <sip:bob@192.0.2.4>\n"));
    f.at(ms + 21, sip_request("ACK", "sip:bob@192.0.2.4", c, cseq, branch + "-ack", "callee"));
    return invite;
}

Caller new_call(const std::string& call_id, const std::string& tag) {
    Caller c = kAlice;
    c.call_id = call_id;
    c.from_tag = tag;
    return c;
}

}  // namespace

// ---- the link itself -------------------------------------------------------

TEST_CASE("a request to a target links back to its 3xx, and the 3xx forward on the second pass", "[tracking]") {
    Flow f;
    const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily",
                                 "Contact: <sip:bob@192.0.2.4>;q=0.5, <sip:bob@198.51.100.9>;q=0.9\n");
    const auto follow = answered(f, 200, kAlice, 2, "sip:bob@198.51.100.9");
    f.run();
    // backward link, known at once
    CHECK(f.first(follow).sequence.redirected_by == r302);
    CHECK(f.first(follow).sequence.redirected_delay_ns == 190'000'000);
    CHECK(f.first(follow).sequence.redirect_depth == 1);
    CHECK(f.second(follow).sequence.redirected_by == r302);
    CHECK(f.second(follow).sequence.redirected_delay_ns == 190'000'000);
    CHECK(f.second(follow).sequence.redirect_depth == 1);
    CHECK_FALSE(f.first(follow).sequence.redirected_as_new_call);  // the redirected call's own Call-ID
    CHECK_FALSE(f.second(follow).sequence.redirected_as_new_call);
    // forward link: only once the whole file is known
    CHECK(f.first(r302).sequence.follows.empty());
    REQUIRE(f.second(r302).sequence.follows.size() == 2);
    CHECK(f.second(r302).sequence.follows[0].frame == 0);  // header order: the q=0.5 one was not tried
    CHECK(f.second(r302).sequence.follows[1].frame == follow);
    CHECK(f.second(r302).sequence.follows[1].delay_ns == 190'000'000);
}

TEST_CASE("a later request is linked by the redirected Call-ID, or else by the From URI and tag", "[tracking]") {
    Flow f;
    const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily",
                                 "Contact: <sip:bob@192.0.2.4>\n");
    SECTION("a caller that recurses with a new Call-ID keeps its From URI and tag") {
        Caller renewed = kAlice;
        renewed.call_id = "call-2@192.0.2.1";
        const auto follow = answered(f, 100, renewed, 1, "sip:bob@192.0.2.4");
        // another caller going to the same URI is not following alice's redirect
        const auto other = answered(f, 300, new_call("call-3@192.0.2.1", "f3"), 1, "sip:bob@192.0.2.4");
        f.run();
        CHECK(f.first(follow).sequence.redirected_by == r302);
        CHECK(f.first(follow).sequence.redirected_as_new_call);
        CHECK(f.first(other).sequence.redirected_by == 0);
    }
    SECTION("the same Call-ID alone, with another From tag and Via host") {
        // Neither the From URI and tag nor the client (Via sent-by, From
        // URI) is the redirected request's: only the Call-ID ties the two
        // (8.1.3.4 keeps it for a request sent after a redirect).
        Caller elsewhere = kAlice;
        elsewhere.from_tag = "f9";
        elsewhere.via = "192.0.2.7:5060";
        const auto follow = answered(f, 100, elsewhere, 2, "sip:bob@192.0.2.4");
        f.run();
        CHECK(f.first(follow).sequence.redirected_by == r302);
        CHECK(f.second(follow).sequence.redirected_by == r302);
    }
}

TEST_CASE("a client that follows a redirect as a new call (a B2BUA placing a new leg) is linked too", "[tracking]") {
    // New Call-ID and new From tag, the same client (Via sent-by and From
    // URI), at once: the redirect followed, not a target cached for later
    // (21.3.3). Asterisk and FreeSWITCH re-originate the leg this way.
    const std::string no_lifetime = "Contact: <sip:bob@192.0.2.4>\n";
    SECTION("followed at once: linked both ways, no cached-without-lifetime, no redirect-not-followed") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", no_lifetime);
        const auto leg = answered(f, 50, new_call("leg-2@192.0.2.1", "f2"), 1, "sip:bob@192.0.2.4");
        f.run();
        for (const bool first : {true, false}) {
            const auto& seen = first ? f.first(leg) : f.second(leg);
            CHECK(seen.sequence.redirected_by == r302);
            CHECK(seen.sequence.redirected_as_new_call);
            CHECK(seen.sequence.redirected_delay_ns == 40'000'000);
            CHECK(seen.sequence.redirect_depth == 1);
            CHECK(seen.sequence.findings.empty());
        }
        REQUIRE(f.second(r302).sequence.follows.size() == 1);
        CHECK(f.second(r302).sequence.follows[0].frame == leg);
        CHECK(finding(f.second(r302), RuleId::redirect_not_followed) == nullptr);
    }
    SECTION("each target of a 300 tried as a new call, the second 25 s after the first") {
        // 45 s after the 300, but a target tried in between shows the
        // client still working through it (Timer B: 64*T1 = 32 s a try)
        Flow f;
        const auto r300 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "300 Multiple Choices",
                                     "Contact: <sip:bob@192.0.2.4>, <sip:bob@192.0.2.9>\n");
        const auto one = answered(f, 20'000, new_call("leg-2@192.0.2.1", "f2"), 1, "sip:bob@192.0.2.4");
        const auto two = answered(f, 45'000, new_call("leg-3@192.0.2.1", "f3"), 1, "sip:bob@192.0.2.9");
        f.run();
        CHECK(f.first(one).sequence.redirected_by == r300);
        CHECK(f.first(two).sequence.redirected_by == r300);
        CHECK(f.first(two).sequence.findings.empty());
        REQUIRE(f.second(r300).sequence.follows.size() == 2);
        CHECK(f.second(r300).sequence.follows[0].frame == one);
        CHECK(f.second(r300).sequence.follows[1].frame == two);
    }
    SECTION("not once the target was used, nor long after the redirect: those are calls using a cache") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", no_lifetime);
        const auto leg = answered(f, 50, new_call("leg-2@192.0.2.1", "f2"), 1, "sip:bob@192.0.2.4");
        const auto again = answered(f, 5'000, new_call("call-3@192.0.2.1", "f3"), 1, "sip:bob@192.0.2.4");
        const auto late302 = redirected(f, 100'000, new_call("call-4@192.0.2.1", "f4"), 1, "sip:carol@example.com",
                                        "302 Moved Temporarily", "Contact: <sip:carol@192.0.2.5>\n");
        const auto late = answered(f, 140'000, new_call("call-5@192.0.2.1", "f5"), 1, "sip:carol@192.0.2.5");
        f.run();
        CHECK(f.first(leg).sequence.redirected_by == r302);
        CHECK(f.first(again).sequence.redirected_by == 0);
        const SequenceFinding* hit = finding(f.first(again), RuleId::cached_without_lifetime);
        REQUIRE(hit != nullptr);
        CHECK(hit->frame == r302);
        CHECK(f.first(late).sequence.redirected_by == 0);
        hit = finding(f.first(late), RuleId::cached_without_lifetime);
        REQUIRE(hit != nullptr);
        CHECK(hit->frame == late302);
        CHECK(finding(f.second(late302), RuleId::redirect_not_followed) != nullptr);
    }
}

TEST_CASE("the target is matched with URI equality of 19.1.4, not byte for byte", "[tracking]") {
    Flow f;
    const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily",
                                 "Contact: <sip:bob@GW.Example.COM:5060;transport=udp>\n");
    const auto follow = answered(f, 100, kAlice, 2, "sip:bob@gw.example.com:5060;transport=UDP;lr");
    f.run();
    CHECK(f.first(follow).sequence.redirected_by == r302);
}

TEST_CASE("a target at an IPv6 address is followed however the request writes the address", "[tracking]") {
    // RFC 5954 4.2: the same 128 bits are the same host
    const std::string contact = "Contact: <sip:bob@[2001:db8::4]:5070>\n";
    SECTION("the same address, written out in full: followed") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact);
        const auto follow = answered(f, 100, kAlice, 2, "sip:bob@[2001:DB8:0:0:0:0:0:4]:5070");
        f.run();
        CHECK(f.first(follow).sequence.redirected_by == r302);
        CHECK(finding(f.second(r302), RuleId::redirect_not_followed) == nullptr);
    }
    SECTION("another address is another target") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact);
        const auto elsewhere = answered(f, 100, kAlice, 2, "sip:bob@[2001:db8::4:0]:5070");
        f.run();
        CHECK(f.first(elsewhere).sequence.redirected_by == 0);
        CHECK(finding(f.second(r302), RuleId::redirect_not_followed) != nullptr);
    }
}

TEST_CASE("a target's URI headers and method parameter are not on the request that follows it", "[tracking]") {
    // 19.1.5: the client turns the headers into header fields and leaves
    // the method parameter off the request line (19.1.1 Table 1)
    const std::string contact = "Contact: <sip:conf@192.0.2.4;method=INVITE?Subject=weekly>\n";
    SECTION("followed: linked both ways, and redirect-not-followed stays quiet") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:conf@example.com", "302 Moved Temporarily", contact);
        const auto follow = answered(f, 100, kAlice, 2, "sip:conf@192.0.2.4");
        f.run();
        CHECK(f.first(follow).sequence.redirected_by == r302);
        REQUIRE(f.second(r302).sequence.follows.size() == 1);
        CHECK(f.second(r302).sequence.follows[0].frame == follow);
        CHECK(finding(f.second(r302), RuleId::redirect_not_followed) == nullptr);
    }
    SECTION("another port is another target: not followed") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:conf@example.com", "302 Moved Temporarily", contact);
        const auto elsewhere = answered(f, 100, kAlice, 2, "sip:conf@192.0.2.4:5070");
        f.run();
        CHECK(f.first(elsewhere).sequence.redirected_by == 0);
        CHECK(finding(f.second(r302), RuleId::redirect_not_followed) != nullptr);
    }
    SECTION("a later call to it reuses a target that had no lifetime (21.3.3)") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:conf@example.com", "302 Moved Temporarily", contact);
        answered(f, 100, kAlice, 2, "sip:conf@192.0.2.4");
        const auto reuse = answered(f, 60'000, new_call("call-2@192.0.2.1", "f2"), 1, "sip:conf@192.0.2.4");
        f.run();
        const SequenceFinding* hit = finding(f.first(reuse), RuleId::cached_without_lifetime);
        REQUIRE(hit != nullptr);
        CHECK(hit->frame == r302);
    }
}

TEST_CASE("a tel target is followed by a request to a SIP URI that dials its number", "[tracking]") {
    // 19.1.6: a client with no way to send to a tel URI writes the number
    // as the user part of a SIP URI marked user=phone, at a host it picks
    // (a gateway, its outbound proxy). A number portability server answers
    // this way. The redirect was followed, whatever host the client chose.
    const std::string contact = "Contact: <tel:+1-201-555-0123>\n";
    SECTION("followed: linked both ways, and redirect-not-followed stays quiet") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:+12015550100@example.com;user=phone",
                                     "302 Moved Temporarily", contact);
        const auto follow = answered(f, 100, kAlice, 2, "sip:+12015550123@gw.example.net;user=phone");
        f.run();
        CHECK(f.first(follow).sequence.redirected_by == r302);
        CHECK(f.second(follow).sequence.redirected_by == r302);
        REQUIRE(f.second(r302).sequence.follows.size() == 1);
        CHECK(f.second(r302).sequence.follows[0].frame == follow);
        CHECK(finding(f.second(r302), RuleId::redirect_not_followed) == nullptr);
    }
    const auto not_followed_by = [&](const std::string& request_uri) {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:+12015550100@example.com;user=phone",
                                     "302 Moved Temporarily", contact);
        const auto elsewhere = answered(f, 100, kAlice, 2, request_uri);
        f.run();
        CHECK(f.first(elsewhere).sequence.redirected_by == 0);
        CHECK(finding(f.second(r302), RuleId::redirect_not_followed) != nullptr);
    };
    SECTION("a user part that is not marked as a number: not followed") {
        not_followed_by("sip:+12015550123@gw.example.net");
    }
    SECTION("another number: not followed") { not_followed_by("sip:+12015550124@gw.example.net;user=phone"); }
    SECTION("a later call dialling it reuses a target that had no lifetime (21.3.3)") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:+12015550100@example.com;user=phone",
                                     "302 Moved Temporarily", contact);
        answered(f, 100, kAlice, 2, "sip:+12015550123@gw.example.net;user=phone");
        const auto reuse =
            answered(f, 60'000, new_call("call-2@192.0.2.1", "f2"), 1, "sip:+1-201-555-0123@gw2.example.net;user=phone");
        f.run();
        const SequenceFinding* hit = finding(f.first(reuse), RuleId::cached_without_lifetime);
        REQUIRE(hit != nullptr);
        CHECK(hit->frame == r302);
    }
    SECTION("a redirect to the number its own request dialled, not dialled again: already tried") {
        Flow f;
        const auto self = redirected(f, 0, kAlice, 1, "sip:+12015550123@example.com;user=phone",
                                     "302 Moved Temporarily", contact);
        f.run();
        CHECK(finding(f.second(self), RuleId::redirect_not_followed) == nullptr);
        REQUIRE(f.second(self).sequence.follows.size() == 1);
        CHECK(f.second(self).sequence.follows[0].tried_frame == self - 1);
    }
}

namespace {

// A 302 to `contact` answering `asked`, then a request in the same call to
// `follow_uri`, the target itself: linked both ways, not "by its number".
void check_followed_as_named(const std::string& asked, const std::string& contact, const std::string& follow_uri) {
    Flow f;
    const auto r302 = redirected(f, 0, kAlice, 1, asked, "302 Moved Temporarily", contact);
    const auto follow = answered(f, 100, kAlice, 2, follow_uri);
    f.run();
    CHECK(f.first(follow).sequence.redirected_by == r302);
    CHECK_FALSE(f.first(follow).sequence.redirected_by_number);
    REQUIRE(f.second(r302).sequence.follows.size() == 1);
    CHECK(f.second(r302).sequence.follows[0].frame == follow);
    CHECK_FALSE(f.second(r302).sequence.follows[0].by_number);
    CHECK(f.second(r302).sequence.findings.empty());
}

}  // namespace

TEST_CASE("a SIP target marked user=phone is followed by its number through another host", "[tracking]") {
    // A number portability server that answers with a SIP URI: the switch
    // routes the number, with the server's npdi and rn, to a gateway of its
    // own (19.1.6). The redirect was followed, and the links say how.
    const std::string ported = "Contact: <sip:+12015550133;npdi;rn=+12015559999@lnp.example.net;user=phone>\n";
    const std::string asked = "sip:+12015550133@lnp.example.net;user=phone";
    const std::string routed = "sip:+12015550133;npdi;rn=+12015559999@gw.carrier.net;user=phone";
    SECTION("in the same call: linked both ways, by number, and redirect-not-followed stays quiet") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, asked, "302 Moved Temporarily", ported);
        const auto follow = answered(f, 100, kAlice, 2, routed);
        f.run();
        for (const bool first : {true, false}) {
            const auto& seen = first ? f.first(follow) : f.second(follow);
            CHECK(seen.sequence.redirected_by == r302);
            CHECK(seen.sequence.redirected_by_number);
            CHECK_FALSE(seen.sequence.redirected_as_new_call);
            CHECK(seen.sequence.findings.empty());
        }
        REQUIRE(f.second(r302).sequence.follows.size() == 1);
        CHECK(f.second(r302).sequence.follows[0].frame == follow);
        CHECK(f.second(r302).sequence.follows[0].by_number);
        CHECK(f.second(r302).sequence.findings.empty());
    }
    SECTION("as a new call at once (a B2BUA's new leg): linked, by number") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, asked, "302 Moved Temporarily", ported);
        const auto leg = answered(f, 50, new_call("leg-2@192.0.2.1", "f2"), 1, routed);
        f.run();
        CHECK(f.first(leg).sequence.redirected_by == r302);
        CHECK(f.first(leg).sequence.redirected_as_new_call);
        CHECK(f.first(leg).sequence.redirected_by_number);
        CHECK(f.first(leg).sequence.findings.empty());
        REQUIRE(f.second(r302).sequence.follows.size() == 1);
        CHECK(f.second(r302).sequence.follows[0].frame == leg);
        CHECK(f.second(r302).sequence.follows[0].by_number);
    }
    SECTION("the target itself: linked, not by number") {
        check_followed_as_named(asked, ported, "sip:+12015550133;npdi;rn=+12015559999@lnp.example.net;user=phone");
    }
    const auto not_followed_by = [&](const std::string& request_uri) {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, asked, "302 Moved Temporarily", ported);
        const auto elsewhere = answered(f, 100, kAlice, 2, request_uri);
        f.run();
        CHECK(f.first(elsewhere).sequence.redirected_by == 0);
        CHECK(f.second(r302).sequence.follows.at(0).frame == 0);
        CHECK(finding(f.second(r302), RuleId::redirect_not_followed) != nullptr);
    };
    SECTION("not marked as a number: not followed") {
        not_followed_by("sip:+12015550133;npdi;rn=+12015559999@gw.carrier.net");
    }
    SECTION("without the answer's parameters: not followed") {
        not_followed_by("sip:+12015550133@gw.carrier.net;user=phone");
    }
    SECTION("another number: not followed") { not_followed_by("sip:+12015550134;npdi;rn=+12015559999@gw.carrier.net;user=phone"); }
    SECTION("a later call to the number through another host reuses no cached target; one to the target does") {
        // the 302 gave no lifetime (21.3.3): sending to its URI again is
        // using it from a cache; dialling the number is the client's own
        // routing of a number it is asked to call again
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, asked, "302 Moved Temporarily", ported);
        answered(f, 100, kAlice, 2, routed);
        const auto again = answered(f, 60'000, new_call("call-2@192.0.2.1", "f2"), 1, routed);
        const auto cached = answered(f, 70'000, new_call("call-3@192.0.2.1", "f3"),
                                     1, "sip:+12015550133;npdi;rn=+12015559999@lnp.example.net;user=phone");
        f.run();
        CHECK(f.first(again).sequence.redirected_by == 0);
        CHECK(f.first(again).sequence.findings.empty());
        const SequenceFinding* hit = finding(f.first(cached), RuleId::cached_without_lifetime);
        REQUIRE(hit != nullptr);
        CHECK(hit->frame == r302);
    }
}

TEST_CASE("a SIP target that keeps the number asked for and moves only its host is followed only there", "[tracking]") {
    // The redirect says at which host to dial the number the request
    // dialled already: dialling it at a third host is not following it,
    // and a new call dialling it at the first host again is no retry of
    // the target (19.1.6 names no host for a number; the 302 named one).
    const std::string asked = "sip:+12015550166@lnp.example.net;user=phone";
    const std::string moved = "Contact: <sip:+12015550166@gw2.example.net;user=phone>\n";
    SECTION("at the target's host: linked, not by number") {
        check_followed_as_named(asked, moved, "sip:+12015550166@gw2.example.net;user=phone");
    }
    SECTION("at a third host: not followed") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, asked, "302 Moved Temporarily", moved);
        const auto elsewhere = answered(f, 100, kAlice, 2, "sip:+12015550166@gw3.example.net;user=phone");
        f.run();
        CHECK(f.first(elsewhere).sequence.redirected_by == 0);
        CHECK(f.second(r302).sequence.follows.at(0).frame == 0);
        CHECK(finding(f.second(r302), RuleId::redirect_not_followed) != nullptr);
    }
    SECTION("a new call at once to the first host: no link and no retry") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, asked, "302 Moved Temporarily", moved);
        const auto redial = answered(f, 50, new_call("call-2@192.0.2.1", "f2"), 1, asked);
        f.run();
        for (const bool first : {true, false}) {
            const auto& seen = first ? f.first(redial) : f.second(redial);
            CHECK(seen.sequence.redirected_by == 0);
            CHECK(seen.sequence.findings.empty());
        }
        CHECK(f.second(r302).sequence.follows.at(0).frame == 0);
    }
}

TEST_CASE("a redirect chain A -> B -> C counts its depth", "[tracking]") {
    Flow f;
    const auto first = redirected(f, 0, kAlice, 1, "sip:a@example.com", "302 Moved Temporarily",
                                  "Contact: <sip:b@example.com>\n");
    const auto second = redirected(f, 100, kAlice, 2, "sip:b@example.com", "302 Moved Temporarily",
                                   "Contact: <sip:c@example.com>\n");
    const auto call_c = answered(f, 200, kAlice, 3, "sip:c@example.com");
    f.run();
    CHECK(f.first(first).sequence.redirect_depth == 1);
    CHECK(f.first(second).sequence.redirect_depth == 2);
    CHECK(f.first(call_c).sequence.redirected_by == second);
    CHECK(f.first(call_c).sequence.redirect_depth == 2);
}

// 21.3.4: a 305 names a proxy, and the same request goes again through it.
// A client that puts the proxy's URI in the Request-URI instead (Twinkle,
// sipsak) still follows the 305, and is told so.
TEST_CASE("a request that follows a 305 to the proxy's own URI is told apart from one through the proxy", "[tracking]") {
    SECTION("the proxy's URI as the Request-URI") {
        Flow f;
        const auto r305 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "305 Use Proxy",
                                     "Contact: <sip:proxy.example.com;lr>\n");
        const auto to_proxy = answered(f, 100, kAlice, 2, "sip:proxy.example.com;lr");
        f.run();
        CHECK(f.first(to_proxy).sequence.redirected_by == r305);
        CHECK(f.first(to_proxy).sequence.sent_to_proxy_uri);
        CHECK(f.second(to_proxy).sequence.sent_to_proxy_uri);
    }
    SECTION("negative: the same Request-URI again, through the proxy") {
        Flow f;
        const auto r305 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "305 Use Proxy",
                                     "Contact: <sip:proxy.example.com;lr>\n");
        const auto again = answered(f, 100, kAlice, 2, "sip:bob@example.com");
        f.run();
        CHECK(f.first(again).sequence.redirected_by == r305);
        CHECK_FALSE(f.first(again).sequence.sent_to_proxy_uri);
    }
    SECTION("negative: a 302's target, and the request after a 305 follow-up") {
        Flow f;
        redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", "Contact: <sip:bob@192.0.2.4>\n");
        const auto follow = answered(f, 100, kAlice, 2, "sip:bob@192.0.2.4");
        const Caller other = new_call("c305", "t305");
        redirected(f, 200, other, 1, "sip:carol@example.com", "305 Use Proxy", "Contact: <sip:proxy.example.com;lr>\n");
        answered(f, 300, other, 2, "sip:proxy.example.com;lr");
        const auto unrelated = answered(f, 400, new_call("plain", "tp"), 1, "sip:dave@example.com");
        f.run();
        CHECK_FALSE(f.first(follow).sequence.sent_to_proxy_uri);
        CHECK_FALSE(f.first(unrelated).sequence.sent_to_proxy_uri);  // reset after the one before
    }
}

// ---- redirect-not-followed ---------------------------------------------------

TEST_CASE("redirect-not-followed", "[tracking][rule]") {
    SECTION("positive: a 302 to INVITE nobody follows, said on the second pass only") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily",
                                     "Contact: <sip:bob@192.0.2.4>\n");
        answered(f, 500, kAlice, 2, "sip:carol@example.com");  // somewhere else
        f.run();
        CHECK(finding(f.first(r302), RuleId::redirect_not_followed) == nullptr);
        const SequenceFinding* hit = finding(f.second(r302), RuleId::redirect_not_followed);
        REQUIRE(hit != nullptr);
        // how long the capture went on after it: the 302 at 10 ms, the last ACK at 521 ms
        CHECK(hit->delta_ns == 511'000'000);
    }
    SECTION("why: every target left untried would take a sips: request to sip:, which a client may decline") {
        // 8.1.3.4 lets a client recurse from a SIPS Request-URI to a
        // non-SIPS target but does not make it: the finding stands (the
        // rule is about the capture), and says this is why.
        Flow f;
        const auto down = redirected(f, 0, kAlice, 1, "sips:bob@example.com", "302 Moved Temporarily",
                                     "Contact: <sip:bob@192.0.2.4>, <sip:bob@198.51.100.9>\n");
        const auto mixed = redirected(f, 100, new_call("mixed", "t-mixed"), 1, "sips:bob@example.com",
                                      "300 Multiple Choices", "Contact: <sip:bob@192.0.2.4>, <sips:bob@198.51.100.9>\n");
        const auto plain = redirected(f, 200, new_call("plain", "t-plain"), 1, "sip:bob@example.com",
                                      "302 Moved Temporarily", "Contact: <sip:bob@192.0.2.4>\n");
        f.run();
        // mixed: a sips: target was there to follow; plain: no SIPS at all
        for (const auto& [redirect, told] : {std::pair{down, true}, std::pair{mixed, false}, std::pair{plain, false}}) {
            INFO("redirect in frame " << redirect);
            const SequenceFinding* hit = finding(f.second(redirect), RuleId::redirect_not_followed);
            REQUIRE(hit != nullptr);
            CHECK(hit->untried_are_sips_downgrades == told);
        }
    }
    SECTION("why: a target its chain already tried does not count, the sip: one left does") {
        Flow f;
        redirected(f, 0, kAlice, 1, "sips:a@example.com", "302 Moved Temporarily", "Contact: <sips:b@example.com>\n");
        const auto r300 = redirected(f, 100, kAlice, 2, "sips:b@example.com", "300 Multiple Choices",
                                     "Contact: <sips:a@example.com>, <sip:c@example.com>\n");
        f.run();
        REQUIRE(f.second(r300).sequence.follows.size() == 2);
        CHECK(f.second(r300).sequence.follows[0].tried_frame != 0);  // sips:a, the first INVITE
        const SequenceFinding* hit = finding(f.second(r300), RuleId::redirect_not_followed);
        REQUIRE(hit != nullptr);
        CHECK(hit->untried_are_sips_downgrades);
    }
    SECTION("negative: the second target is tried") {
        Flow f;
        const auto r300 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "300 Multiple Choices",
                                     "Contact: <sip:bob@192.0.2.4>, <sip:bob@198.51.100.9>\n");
        answered(f, 500, kAlice, 2, "sip:bob@198.51.100.9");
        f.run();
        CHECK(finding(f.second(r300), RuleId::redirect_not_followed) == nullptr);
    }
    SECTION("negative: a 3xx to a method other than INVITE, and a 380 (its alternatives are in the body)") {
        Flow f;
        f.at(0, sip_request("OPTIONS", "sip:bob@example.com", kAlice, 1, "z9hG4bKo"));
        const auto r302 = f.at(5, sip_response("302 Moved Temporarily", "OPTIONS", kAlice, 1, "z9hG4bKo", "rs",
                                               "Contact: <sip:bob@192.0.2.4>\n"));
        const auto r380 = redirected(f, 100, new_call("c380", "t380"), 1, "sip:bob@example.com",
                                     "380 Alternative Service", "Contact: <sip:bob@192.0.2.4>\n");
        f.run();
        CHECK(finding(f.second(r302), RuleId::redirect_not_followed) == nullptr);
        CHECK(finding(f.second(r380), RuleId::redirect_not_followed) == nullptr);
    }
    SECTION("negative: A -> B -> A, and the caller stops: its chain already tried A (8.1.3.4)") {
        Flow f;
        const auto to_a = redirected(f, 0, kAlice, 1, "sip:a@example.com", "302 Moved Temporarily",
                                     "Contact: <sip:b@example.com>\n");
        const auto back_to_a = redirected(f, 100, kAlice, 2, "sip:b@example.com", "302 Moved Temporarily",
                                          "Contact: <sip:a@example.com>\n");
        f.run();
        CHECK(finding(f.second(back_to_a), RuleId::redirect_not_followed) == nullptr);
        // the first INVITE (frame 1, at 0 ms) asked A; the second 302 came at 110 ms
        REQUIRE(f.second(back_to_a).sequence.follows.size() == 1);
        CHECK(f.second(back_to_a).sequence.follows[0].frame == 0);
        CHECK(f.second(back_to_a).sequence.follows[0].tried_frame == to_a - 1);
        CHECK(f.second(back_to_a).sequence.follows[0].tried_before_ns == 110'000'000);
        // the first 302's own target was followed, not tried before
        REQUIRE(f.second(to_a).sequence.follows.size() == 1);
        CHECK(f.second(to_a).sequence.follows[0].frame == back_to_a - 1);
        CHECK(f.second(to_a).sequence.follows[0].tried_frame == 0);
        CHECK(f.first(back_to_a).sequence.follows.empty());  // the first pass knows no future
    }
    SECTION("negative: a 3xx that names the URI it answers, not asked again") {
        Flow f;
        const auto self = redirected(f, 0, kAlice, 1, "sip:self@example.com", "302 Moved Temporarily",
                                     "Contact: <sip:self@example.com>\n");
        f.run();
        CHECK(finding(f.second(self), RuleId::redirect_not_followed) == nullptr);
        REQUIRE(f.second(self).sequence.follows.size() == 1);
        CHECK(f.second(self).sequence.follows[0].tried_frame == self - 1);
    }
    SECTION("negative: a 300 naming both URIs of its chain, each asked at another step") {
        Flow f;
        const auto to_b = redirected(f, 0, kAlice, 1, "sip:a@example.com", "302 Moved Temporarily",
                                     "Contact: <sip:b@example.com>\n");
        const auto r300 = redirected(f, 100, kAlice, 2, "sip:b@example.com", "300 Multiple Choices",
                                     "Contact: <sip:b@example.com>, <sip:a@example.com>\n");
        f.run();
        CHECK(finding(f.second(r300), RuleId::redirect_not_followed) == nullptr);
        REQUIRE(f.second(r300).sequence.follows.size() == 2);
        CHECK(f.second(r300).sequence.follows[0].tried_frame == r300 - 1);  // b: the request the 300 answers
        CHECK(f.second(r300).sequence.follows[1].tried_frame == to_b - 1);  // a: the first INVITE
        CHECK(f.second(r300).sequence.follows[1].tried_before_ns == 110'000'000);
    }
    SECTION("positive: of a 300's two targets one was tried before in the chain, the other never") {
        Flow f;
        const auto to_b = redirected(f, 0, kAlice, 1, "sip:a@example.com", "302 Moved Temporarily",
                                     "Contact: <sip:b@example.com>\n");
        const auto r300 = redirected(f, 100, kAlice, 2, "sip:b@example.com", "300 Multiple Choices",
                                     "Contact: <sip:a@example.com>, <sip:c@example.com>\n");
        f.run();
        CHECK(finding(f.second(r300), RuleId::redirect_not_followed) != nullptr);
        REQUIRE(f.second(r300).sequence.follows.size() == 2);
        CHECK(f.second(r300).sequence.follows[0].tried_frame == to_b - 1);
        CHECK(f.second(r300).sequence.follows[1].tried_frame == 0);
    }
    SECTION("positive: a target the caller asked before, but in another call, is not part of the chain") {
        Flow f;
        answered(f, 0, new_call("earlier", "t-earlier"), 1, "sip:a@example.com");
        const auto r302 = redirected(f, 500, kAlice, 1, "sip:x@example.com", "302 Moved Temporarily",
                                     "Contact: <sip:a@example.com>\n");
        f.run();
        CHECK(finding(f.second(r302), RuleId::redirect_not_followed) != nullptr);
        REQUIRE(f.second(r302).sequence.follows.size() == 1);
        CHECK(f.second(r302).sequence.follows[0].tried_frame == 0);
    }
    SECTION("negative: a 305 followed by the same Request-URI again (through the proxy)") {
        Flow f;
        const auto r305 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "305 Use Proxy",
                                     "Contact: <sip:proxy.example.com;lr>\n");
        answered(f, 100, kAlice, 2, "sip:bob@example.com");
        f.run();
        CHECK(finding(f.second(r305), RuleId::redirect_not_followed) == nullptr);
    }
    SECTION("negative: a 305 answering a request that already went through the proxy it names") {
        // The proxy p1 answers 305 "use p1" to the resend that came through
        // p1: sending it there a third time would repeat that attempt
        // (21.3.4, 8.1.3.4), so a caller that stops is right.
        Flow f;
        redirected(f, 0, kAlice, 1, "sip:bob@example.com", "305 Use Proxy", "Contact: <sip:p1.example.com;lr>\n");
        const auto again = redirected(f, 100, kAlice, 2, "sip:bob@example.com", "305 Use Proxy",
                                      "Contact: <sip:p1.example.com;lr>\n");
        f.run();
        CHECK(finding(f.second(again), RuleId::redirect_not_followed) == nullptr);
        REQUIRE(f.second(again).sequence.follows.size() == 1);
        CHECK(f.second(again).sequence.follows[0].tried_frame == again - 1);  // the resend through p1
        CHECK(f.second(again).sequence.follows[0].tried_before_ns == 10'000'000);
    }
    SECTION("positive: the second 305 names another proxy, and the caller stops") {
        Flow f;
        redirected(f, 0, kAlice, 1, "sip:bob@example.com", "305 Use Proxy", "Contact: <sip:p1.example.com;lr>\n");
        const auto to_p2 = redirected(f, 100, kAlice, 2, "sip:bob@example.com", "305 Use Proxy",
                                      "Contact: <sip:p2.example.com;lr>\n");
        f.run();
        CHECK(finding(f.second(to_p2), RuleId::redirect_not_followed) != nullptr);
        REQUIRE(f.second(to_p2).sequence.follows.size() == 1);
        CHECK(f.second(to_p2).sequence.follows[0].tried_frame == 0);
    }
}

// ---- target-retried -----------------------------------------------------------

TEST_CASE("target-retried", "[tracking][rule]") {
    SECTION("positive: A -> B -> A, the caller goes back to A") {
        Flow f;
        const auto first_invite = f.at(0, sip_request("INVITE", "sip:a@example.com", kAlice, 1, "z9hG4bK1"));
        f.at(10, sip_response("302 Moved Temporarily", "INVITE", kAlice, 1, "z9hG4bK1", "r1",
                              "Contact: <sip:b@example.com>\n"));
        f.at(11, sip_request("ACK", "sip:a@example.com", kAlice, 1, "z9hG4bK1", "r1"));
        const auto r302b = redirected(f, 100, kAlice, 2, "sip:b@example.com", "302 Moved Temporarily",
                                      "Contact: <sip:a@example.com>\n");
        const auto back_to_a = f.at(200, sip_request("INVITE", "sip:a@example.com", kAlice, 3, "z9hG4bK3"));
        f.run();
        for (const auto* seen : {&f.first(back_to_a), &f.second(back_to_a)}) {
            const SequenceFinding* hit = finding(*seen, RuleId::target_retried);
            REQUIRE(hit != nullptr);
            CHECK(hit->frame == first_invite);
            CHECK(seen->sequence.redirected_by == r302b);
        }
    }
    SECTION("positive: each step a new Call-ID with the same From tag and CSeq, as Linphone recurses") {
        // self -> self:5060, whose 302 names itself, and the caller asks it
        // again. Only the From URI and tag tie the third INVITE to that 302:
        // another Call-ID, and a target that is its own Request-URI is not
        // one a new call could be following (the B2BUA link)
        Flow f;
        const Caller hop1 = new_call("hop-1", kAlice.from_tag), hop2 = new_call("hop-2", kAlice.from_tag);
        redirected(f, 0, kAlice, 20, "sip:self@example.com", "302 Moved Temporarily",
                   "Contact: <sip:self@example.com:5060>\n");
        const auto asked = f.at(100, sip_request("INVITE", "sip:self@example.com:5060", hop1, 20, "z9hG4bK2"));
        const auto itself = f.at(110, sip_response("302 Moved Temporarily", "INVITE", hop1, 20, "z9hG4bK2", "r2",
                                                   "Contact: <sip:self@example.com:5060>\n"));
        f.at(111, sip_request("ACK", "sip:self@example.com:5060", hop1, 20, "z9hG4bK2", "r2"));
        const auto again = f.at(200, sip_request("INVITE", "sip:self@example.com:5060", hop2, 20, "z9hG4bK3"));
        f.run();
        CHECK(f.first(itself).sequence.redirect_depth == 2);
        for (const auto* seen : {&f.first(again), &f.second(again)}) {
            const SequenceFinding* hit = finding(*seen, RuleId::target_retried);
            REQUIRE(hit != nullptr);
            CHECK(hit->frame == asked);
            CHECK(seen->sequence.redirected_by == itself);
            CHECK(seen->sequence.redirected_as_new_call);
        }
    }
    SECTION("negative: after the first target fails the caller tries the second (siblings)") {
        Flow f;
        redirected(f, 0, kAlice, 1, "sip:a@example.com", "302 Moved Temporarily",
                   "Contact: <sip:b@example.com>;q=0.9, <sip:c@example.com>;q=0.5\n");
        const auto to_b = f.at(100, sip_request("INVITE", "sip:b@example.com", kAlice, 2, "z9hG4bK2"));
        f.at(110, sip_response("486 Busy Here", "INVITE", kAlice, 2, "z9hG4bK2", "x", ""));
        const auto to_c = f.at(200, sip_request("INVITE", "sip:c@example.com", kAlice, 3, "z9hG4bK3"));
        f.run();
        CHECK(finding(f.first(to_b), RuleId::target_retried) == nullptr);
        CHECK(finding(f.first(to_c), RuleId::target_retried) == nullptr);
    }
    SECTION("negative: the same target again after an authentication challenge, and retransmissions") {
        Flow f;
        redirected(f, 0, kAlice, 1, "sip:a@example.com", "302 Moved Temporarily", "Contact: <sip:b@example.com>\n");
        const std::string first = sip_request("INVITE", "sip:b@example.com", kAlice, 2, "z9hG4bK2");
        f.at(100, first);
        const auto retransmitted = f.at(600, first);
        f.at(610, sip_response("407 Proxy Authentication Required", "INVITE", kAlice, 2, "z9hG4bK2", "x", ""));
        const auto with_credentials = f.at(700, sip_request("INVITE", "sip:b@example.com", kAlice, 3, "z9hG4bK3"));
        f.run();
        CHECK(f.first(retransmitted).sequence.findings.empty());
        CHECK(finding(f.first(with_credentials), RuleId::target_retried) == nullptr);
    }
    // 21.3.4: after a 305 the same Request-URI goes again, through the proxy
    // the 305 names. Sofia-SIP does so; the URI is asked twice by design.
    SECTION("negative: the same Request-URI again after a 305, and again after a 305 naming another proxy") {
        Flow f;
        const auto to_p1 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "305 Use Proxy",
                                      "Contact: <sip:p1.example.com;lr>\n");
        const auto to_p2 = redirected(f, 100, kAlice, 2, "sip:bob@example.com", "305 Use Proxy",
                                      "Contact: <sip:p2.example.com;lr>\n");
        const auto via_p2 = answered(f, 200, kAlice, 3, "sip:bob@example.com");
        f.run();
        for (const bool first : {true, false}) {
            const auto& second_try = first ? f.first(to_p2 - 1) : f.second(to_p2 - 1);
            CHECK(second_try.sequence.redirected_by == to_p1);
            CHECK(finding(second_try, RuleId::target_retried) == nullptr);
            const auto& third_try = first ? f.first(via_p2) : f.second(via_p2);
            CHECK(third_try.sequence.redirected_by == to_p2);
            CHECK(finding(third_try, RuleId::target_retried) == nullptr);
        }
    }
    SECTION("positive: a second 305 naming the same proxy, and the caller sends the URI there again") {
        // The first resend through p1 is right; p1 answering 305 to itself
        // and the caller going through p1 once more repeats that attempt.
        Flow f;
        redirected(f, 0, kAlice, 1, "sip:bob@example.com", "305 Use Proxy", "Contact: <sip:p1.example.com;lr>\n");
        const auto again = redirected(f, 100, kAlice, 2, "sip:bob@example.com", "305 Use Proxy",
                                      "Contact: <sip:p1.example.com;lr>\n");
        const auto once_more = f.at(200, sip_request("INVITE", "sip:bob@example.com", kAlice, 3, "z9hG4bK3"));
        f.run();
        CHECK(finding(f.first(again - 1), RuleId::target_retried) == nullptr);
        for (const auto* seen : {&f.first(once_more), &f.second(once_more)}) {
            const SequenceFinding* hit = finding(*seen, RuleId::target_retried);
            REQUIRE(hit != nullptr);
            CHECK(hit->frame == again - 1);  // the resend through p1 that the second 305 answered
            CHECK(seen->sequence.redirected_by == again);
        }
    }
    SECTION("negative: a 305 whose request the capture missed, followed to the proxy's URI") {
        // The capture starts after the INVITE: the 305 has no request to
        // compare the follow-up's Request-URI with (found by the fuzzer).
        Flow f;
        const auto r305 = f.at(10, sip_response("305 Use Proxy", "INVITE", kAlice, 1, "z9hG4bK1", "r1",
                                                "Contact: <sip:p1.example.com;lr>\n"));
        f.at(11, sip_request("ACK", "sip:bob@example.com", kAlice, 1, "z9hG4bK1", "r1"));
        const auto to_proxy = f.at(100, sip_request("INVITE", "sip:p1.example.com;lr", kAlice, 2, "z9hG4bK2"));
        f.run();
        for (const auto* seen : {&f.first(to_proxy), &f.second(to_proxy)}) {
            CHECK(seen->sequence.redirected_by == r305);
            CHECK(finding(*seen, RuleId::target_retried) == nullptr);
        }
    }
    SECTION("positive: after a 305 the caller goes back to the URI of an earlier step of the chain") {
        Flow f;
        const auto first_invite = redirected(f, 0, kAlice, 1, "sip:a@example.com", "302 Moved Temporarily",
                                             "Contact: <sip:b@example.com>\n") - 1;
        const auto r305 = redirected(f, 100, kAlice, 2, "sip:b@example.com", "305 Use Proxy",
                                     "Contact: <sip:a@example.com>\n");
        const auto back_to_a = f.at(200, sip_request("INVITE", "sip:a@example.com", kAlice, 3, "z9hG4bK3"));
        f.run();
        const SequenceFinding* hit = finding(f.first(back_to_a), RuleId::target_retried);
        REQUIRE(hit != nullptr);
        CHECK(hit->frame == first_invite);
        CHECK(f.first(back_to_a).sequence.redirected_by == r305);
    }
}

// ---- cached-without-lifetime ---------------------------------------------------

TEST_CASE("cached-without-lifetime", "[tracking][rule]") {
    const std::string no_lifetime = "Contact: <sip:bob@192.0.2.4>\n";
    SECTION("positive: a later call reuses a 302 target that had no lifetime (21.3.3)") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", no_lifetime);
        answered(f, 100, kAlice, 2, "sip:bob@192.0.2.4");  // the recursion itself: fine
        const auto reuse = answered(f, 60'000, new_call("call-2@192.0.2.1", "f2"), 1, "sip:bob@192.0.2.4");
        f.run();
        const SequenceFinding* hit = finding(f.first(reuse), RuleId::cached_without_lifetime);
        REQUIRE(hit != nullptr);
        CHECK(hit->frame == r302);
        CHECK(finding(f.second(reuse), RuleId::cached_without_lifetime) != nullptr);
    }
    SECTION("positive and negative in one 302: each target keeps its own lifetime") {
        // The second Contact has no lifetime (21.3.3: usable once), the
        // first may be cached for an hour: a later call to the second is a
        // finding, one to the first within the hour is not.
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily",
                                     "Contact: <sip:bob@192.0.2.4>;expires=3600, <sip:bob@192.0.2.9>\n");
        const auto to_second = answered(f, 60'000, new_call("call-2@192.0.2.1", "f2"), 1, "sip:bob@192.0.2.9");
        const auto to_first = answered(f, 61'000, new_call("call-3@192.0.2.1", "f3"), 1, "sip:bob@192.0.2.4");
        f.run();
        const SequenceFinding* hit = finding(f.first(to_second), RuleId::cached_without_lifetime);
        REQUIRE(hit != nullptr);
        CHECK(hit->frame == r302);
        CHECK(f.first(to_first).sequence.findings.empty());
    }
    SECTION("negative: the target had a lifetime, or the redirect was a 301, or it is another client") {
        for (const char* status : {"302 Moved Temporarily", "301 Moved Permanently"}) {
            Flow f;
            const bool is_302 = std::string(status).rfind("302", 0) == 0;
            redirected(f, 0, kAlice, 1, "sip:bob@example.com", status,
                       is_302 ? "Contact: <sip:bob@192.0.2.4>;expires=3600\n" : no_lifetime);
            const auto reuse = answered(f, 60'000, new_call("call-2@192.0.2.1", "f2"), 1, "sip:bob@192.0.2.4");
            Caller other = new_call("call-3@192.0.2.7", "f3");
            other.via = "192.0.2.7:5060";
            const auto stranger = answered(f, 61'000, other, 1, "sip:bob@192.0.2.4");
            f.run();
            INFO(status);
            CHECK(f.first(reuse).sequence.findings.empty());
            CHECK(f.first(stranger).sequence.findings.empty());
        }
    }
    SECTION("negative: a 302 that names its own Request-URI teaches nothing; calling that URI later is no reuse") {
        Flow f;
        redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", "Contact: <sip:bob@example.com>\n");
        const auto later = answered(f, 60'000, new_call("call-2@192.0.2.1", "f2"), 1, "sip:bob@example.com");
        f.run();
        CHECK(f.first(later).sequence.findings.empty());
    }
    SECTION("negative: the same call uses the target twice (recursion, then a retry in the call)") {
        Flow f;
        redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", no_lifetime);
        answered(f, 100, kAlice, 2, "sip:bob@192.0.2.4");
        const auto again = answered(f, 5000, kAlice, 3, "sip:bob@192.0.2.4");
        f.run();
        CHECK(f.first(again).sequence.findings.empty());
    }
}

// ---- used-after-expiry -------------------------------------------------------

TEST_CASE("used-after-expiry", "[tracking][rule]") {
    const std::string sixty = "Contact: <sip:bob@192.0.2.4>;expires=60\n";
    SECTION("positive: reused 120 s after a 60 s lifetime began, 60 s overdue") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", sixty);
        const auto late = answered(f, 10 + 120'000, new_call("call-2@192.0.2.1", "f2"), 1, "sip:bob@192.0.2.4");
        f.run();
        const SequenceFinding* hit = finding(f.first(late), RuleId::used_after_expiry);
        REQUIRE(hit != nullptr);
        CHECK(hit->frame == r302);
        CHECK(hit->delta_ns == 60'000'000'000);
    }
    SECTION("negative: reused within the lifetime (Expires header counts too)") {
        Flow f;
        redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", sixty);
        const auto soon = answered(f, 30'000, new_call("call-2@192.0.2.1", "f2"), 1, "sip:bob@192.0.2.4");
        redirected(f, 40'000, new_call("call-3@192.0.2.1", "f3"), 1, "sip:carol@example.com", "302 Moved Temporarily",
                   "Contact: <sip:carol@192.0.2.5>\nExpires: 600\n");
        const auto carol = answered(f, 100'000, new_call("call-4@192.0.2.1", "f4"), 1, "sip:carol@192.0.2.5");
        f.run();
        CHECK(f.first(soon).sequence.findings.empty());
        CHECK(f.first(carol).sequence.findings.empty());
    }
}

// ---- moved-permanently-ignored ---------------------------------------------------

TEST_CASE("moved-permanently-ignored", "[tracking][rule]") {
    SECTION("positive: after a 301 for A, a new call still goes to A") {
        Flow f;
        const auto r301 = redirected(f, 0, kAlice, 1, "sip:bob@old.example.com", "301 Moved Permanently",
                                     "Contact: <sip:bob@new.example.com>\n");
        answered(f, 100, kAlice, 2, "sip:bob@new.example.com");
        const auto stale = answered(f, 3'600'000, new_call("call-2@192.0.2.1", "f2"), 1, "sip:bob@old.example.com");
        f.run();
        const SequenceFinding* hit = finding(f.first(stale), RuleId::moved_permanently_ignored);
        REQUIRE(hit != nullptr);
        CHECK(hit->frame == r301);
    }
    SECTION("negative: the new call goes to the new address; a 302 for A says nothing about A's future") {
        Flow f;
        redirected(f, 0, kAlice, 1, "sip:bob@old.example.com", "301 Moved Permanently",
                   "Contact: <sip:bob@new.example.com>\n");
        const auto updated = answered(f, 60'000, new_call("call-2@192.0.2.1", "f2"), 1, "sip:bob@new.example.com");
        redirected(f, 70'000, new_call("call-3@192.0.2.1", "f3"), 1, "sip:carol@example.com", "302 Moved Temporarily",
                   "Contact: <sip:carol@192.0.2.5>;expires=60\n");
        const auto carol_again = answered(f, 80'000, new_call("call-4@192.0.2.1", "f4"), 1, "sip:carol@example.com");
        f.run();
        CHECK(f.first(updated).sequence.findings.empty());
        CHECK(f.first(carol_again).sequence.findings.empty());
    }
}

// ---- redirect-not-acked ------------------------------------------------------------

// 17.1.1.3: the ACK of a non-2xx final is part of the INVITE's transaction,
// so it carries the INVITE's branch. One on a branch of its own (svwar's)
// matches no transaction: it is no ACK of the 3xx, and the 3xx says so.
TEST_CASE("an ACK of a 3xx sent on another branch than the INVITE's is named, and is not its ACK", "[tracking]") {
    const std::string contact = "Contact: <sip:bob@192.0.2.4>\n";
    const std::string invite_branch = "z9hG4bK-call-1@192.0.2.1-1";
    SECTION("the ACK on a branch of its own: no ACK, and that frame named") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact, false);
        const auto stray = f.at(11, sip_request("ACK", "sip:example.com", kAlice, 1, "z9hG4bK-own", "rs"));
        f.run();
        CHECK(f.second(r302).sequence.ack == AckState::unknown);  // the capture ends 1 ms later
        CHECK(f.second(r302).sequence.ack_frame == 0);
        CHECK(f.second(r302).sequence.other_branch_ack_frame == stray);
    }
    SECTION("and a stateful server, not taking it, sends the 302 again: redirect-not-acked") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact, false);
        const auto stray = f.at(11, sip_request("ACK", "sip:bob@example.com", kAlice, 1, "z9hG4bK-own", "rs"));
        const auto again = f.at(510, sip_response("302 Moved Temporarily", "INVITE", kAlice, 1, invite_branch, "rs", contact));
        f.run();
        CHECK(finding(f.second(r302), RuleId::redirect_not_acked) != nullptr);
        CHECK(f.second(r302).sequence.other_branch_ack_frame == stray);
        CHECK(f.second(again).sequence.other_branch_ack_frame == 0);  // the first copy says it
    }
    SECTION("negative: the ACK on the INVITE's branch is the ACK, nothing else named") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact);
        f.run();
        CHECK(f.second(r302).sequence.ack == AckState::acked);
        CHECK(f.second(r302).sequence.other_branch_ack_frame == 0);
    }
    SECTION("negative: an ACK of another CSeq number, or of another call, names nothing") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact, false);
        f.at(11, sip_request("ACK", "sip:bob@example.com", kAlice, 7, "z9hG4bK-own", "rs"));
        f.at(12, sip_request("ACK", "sip:bob@example.com", new_call("other", "fo"), 1, "z9hG4bK-own2", "rs"));
        f.run();
        CHECK(f.second(r302).sequence.other_branch_ack_frame == 0);
    }
    SECTION("negative: an ACK on another branch after the right one names nothing") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact);
        f.at(20, sip_request("ACK", "sip:bob@example.com", kAlice, 1, "z9hG4bK-own", "rs"));
        f.run();
        CHECK(f.second(r302).sequence.ack == AckState::acked);
        CHECK(f.second(r302).sequence.other_branch_ack_frame == 0);
    }
}

TEST_CASE("redirect-not-acked", "[tracking][rule]") {
    const std::string contact = "Contact: <sip:bob@192.0.2.4>\n";
    SECTION("positive: the 302 is retransmitted because no ACK came") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact, false);
        const std::string copy = sip_response("302 Moved Temporarily", "INVITE", kAlice, 1,
                                              "z9hG4bK-call-1@192.0.2.1-1", "rs", contact);
        const auto again = f.at(510, copy);
        f.at(1510, copy);
        f.run();
        CHECK(f.first(again).sequence.copy_of == r302);
        CHECK(finding(f.first(r302), RuleId::redirect_not_acked) == nullptr);  // first pass: no verdict
        const SequenceFinding* hit = finding(f.second(r302), RuleId::redirect_not_acked);
        REQUIRE(hit != nullptr);
        CHECK(hit->count == 2);
        CHECK(f.second(r302).sequence.ack == AckState::missing);
    }
    SECTION("positive: never ACKed and the capture goes on past 32 s") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact, false);
        answered(f, 40'000, new_call("later", "fl"), 1, "sip:carol@example.com");
        f.run();
        CHECK(finding(f.second(r302), RuleId::redirect_not_acked) != nullptr);
    }
    SECTION("negative: ACKed; and an ACK missing only because the capture ends") {
        Flow f;
        const auto acked = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact);
        const auto at_end = redirected(f, 100, new_call("end", "fe"), 1, "sip:bob@example.com",
                                       "302 Moved Temporarily", contact, false);
        f.run();
        CHECK(f.second(acked).sequence.ack == AckState::acked);
        CHECK(f.second(acked).sequence.ack_frame == acked + 1);
        CHECK(finding(f.second(acked), RuleId::redirect_not_acked) == nullptr);
        CHECK(f.second(at_end).sequence.ack == AckState::unknown);
        CHECK(finding(f.second(at_end), RuleId::redirect_not_acked) == nullptr);
    }
    SECTION("positive: never ACKed, and the capture runs on past 32 s with other traffic alone") {
        // (a capture of SIP and RTP: the last SIP message is the 302)
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact, false);
        f.at_other(20'000);
        f.at_other(40'010);
        f.run();
        const SequenceFinding* hit = finding(f.second(r302), RuleId::redirect_not_acked);
        REQUIRE(hit != nullptr);
        CHECK(hit->delta_ns == 40'000'000'000);  // the 302 came at 10 ms
        CHECK(f.second(r302).sequence.ack == AckState::missing);
    }
    SECTION("negative: other traffic only within 32 s of the 302: the ACK may not be captured yet") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact, false);
        f.at_other(20'000);
        f.run();
        CHECK(finding(f.second(r302), RuleId::redirect_not_acked) == nullptr);
        CHECK(f.second(r302).sequence.ack == AckState::unknown);
        CHECK(f.second(r302).sequence.capture_left_ns == 19'990'000'000);
    }
    SECTION("negative: no ACK, but the INVITE is not in the capture either (one direction missing)") {
        Flow f;
        const auto r302 = f.at(0, sip_response("302 Moved Temporarily", "INVITE", kAlice, 1, "z9hG4bKx", "rs", contact));
        answered(f, 40'000, new_call("later", "fl"), 1, "sip:carol@example.com");
        f.run();
        CHECK(finding(f.second(r302), RuleId::redirect_not_acked) == nullptr);
        CHECK(f.second(r302).sequence.ack == AckState::unknown);
    }
    SECTION("negative: the same packet captured twice within a millisecond is not a retransmission") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact, false);
        f.at(10, sip_response("302 Moved Temporarily", "INVITE", kAlice, 1, "z9hG4bK-call-1@192.0.2.1-1", "rs", contact));
        f.at(12, sip_request("ACK", "sip:bob@example.com", kAlice, 1, "z9hG4bK-call-1@192.0.2.1-1", "rs"));
        f.run();
        CHECK(finding(f.second(r302), RuleId::redirect_not_acked) == nullptr);
        CHECK(f.second(r302).sequence.retransmissions == 0);
        CHECK(f.second(r302).sequence.ack == AckState::acked);
    }
    SECTION("positive: the 302 is still sent long after its ACK, which so never reached the server") {
        Flow f;
        // 302 at 10 ms, ACK at 11 ms; copies 1 s and 3 s after the ACK
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact);
        const std::string copy = sip_response("302 Moved Temporarily", "INVITE", kAlice, 1,
                                              "z9hG4bK-call-1@192.0.2.1-1", "rs", contact);
        f.at(1011, copy);
        f.at(3011, copy);
        f.run();
        CHECK(finding(f.first(r302), RuleId::redirect_not_acked) == nullptr);  // first pass: no verdict
        const SequenceFinding* hit = finding(f.second(r302), RuleId::redirect_not_acked);
        REQUIRE(hit != nullptr);
        CHECK(hit->frame == r302 + 1);  // the ACK
        CHECK(hit->count == 0);
        CHECK(hit->count_after_ack == 2);
        CHECK(f.second(r302).sequence.ack == AckState::acked);
        CHECK(f.second(r302).sequence.retransmissions_after_ack == 2);
    }
    SECTION("negative: one copy that left the server before the ACK got there (within T1 of it)") {
        Flow f;
        const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact);
        f.at(400, sip_response("302 Moved Temporarily", "INVITE", kAlice, 1, "z9hG4bK-call-1@192.0.2.1-1", "rs", contact));
        f.run();
        CHECK(finding(f.second(r302), RuleId::redirect_not_acked) == nullptr);
        CHECK(f.second(r302).sequence.retransmissions_after_ack == 0);
        CHECK(f.second(r302).sequence.ack == AckState::acked);
    }
}

TEST_CASE("a copy captured twice is a duplicate of the copy it doubles, not a retransmission, on every pass",
          "[tracking]") {
    // A mirror port or two capture interfaces show each packet twice,
    // microseconds apart; a server sends a copy again T1 (500 ms) later at
    // the soonest (17.1.1.1).
    const std::string contact = "Contact: <sip:bob@192.0.2.4>\n";
    Flow f;
    const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact, false);
    const std::string copy =
        sip_response("302 Moved Temporarily", "INVITE", kAlice, 1, "z9hG4bK-call-1@192.0.2.1-1", "rs", contact);
    const auto twin = f.at(10, copy);      // the 302 (at 10 ms) captured again
    const auto again = f.at(510, copy);    // sent again at T1
    const auto again_twin = f.at(510, copy);  // and that copy captured again
    f.at(520, sip_request("ACK", "sip:bob@example.com", kAlice, 1, "z9hG4bK-call-1@192.0.2.1-1", "rs"));
    f.run();
    for (const bool second : {false, true}) {
        INFO("second pass: " << second);
        const auto seq = [&](std::uint32_t frame) { return second ? f.second(frame).sequence : f.first(frame).sequence; };
        CHECK(seq(r302).duplicate_of == 0);
        CHECK(seq(twin).copy_of == r302);
        CHECK(seq(twin).duplicate_of == r302);
        CHECK(seq(twin).duplicate_delay_ns == 0);
        CHECK(seq(again).copy_of == r302);
        CHECK(seq(again).duplicate_of == 0);
        CHECK(seq(again_twin).copy_of == r302);
        CHECK(seq(again_twin).duplicate_of == again);
    }
    // only the copy sent again counts: once, before the ACK
    CHECK(f.second(r302).sequence.retransmissions == 1);
}

TEST_CASE("a redirect of another method than INVITE captured twice is a duplicate too", "[tracking]") {
    Flow f;
    f.at(0, sip_request("OPTIONS", "sip:bob@example.com", kAlice, 1, "z9hG4bKo"));
    const std::string r302 =
        sip_response("302 Moved Temporarily", "OPTIONS", kAlice, 1, "z9hG4bKo", "rs", "Contact: <sip:bob@192.0.2.4>\n");
    const auto first = f.at(5, r302);
    const auto twin = f.at(5, r302);
    const auto again = f.at(505, r302);
    f.run();
    for (const bool second : {false, true}) {
        INFO("second pass: " << second);
        const auto seq = [&](std::uint32_t frame) { return second ? f.second(frame).sequence : f.first(frame).sequence; };
        CHECK(seq(twin).copy_of == first);
        CHECK(seq(twin).duplicate_of == first);
        CHECK(seq(again).copy_of == first);
        CHECK(seq(again).duplicate_of == 0);
    }
}

TEST_CASE("two copies in one frame were sent twice, not captured twice", "[tracking]") {
    // (a sender that wrote the same 302 twice into one TCP segment)
    CaptureTracker tracker;
    const std::string invite = sip_request("INVITE", "sip:bob@example.com", kAlice, 1, "z9hG4bKseg");
    const std::string r302 = sip_response("302 Moved Temporarily", "INVITE", kAlice, 1, "z9hG4bKseg", "rs",
                                          "Contact: <sip:bob@192.0.2.4>\n");
    for (const bool first_pass : {true, false}) {
        tracker.observe({1, 0, 1'000'000'000, first_pass}, invite);
        CHECK(tracker.observe({2, 7, 1'010'000'000, first_pass}, r302).sequence.copy_of == 0);
        const MessageReport& copy = tracker.observe({2, 8, 1'010'000'000, first_pass}, r302);
        CHECK(copy.sequence.copy_of == 2);
        CHECK(copy.sequence.duplicate_of == 0);
    }
}

TEST_CASE("a copy at the same TCP sequence number is TCP's resend, not a retransmission, on every pass",
          "[tracking]") {
    // With tcp.analyze_sequence_numbers off, Wireshark hands SIP a segment
    // TCP sent again (its retransmission timeout: 200 ms and up). SIP sends
    // a 2xx again as a new message, later in the stream (13.3.1.4), so at
    // another sequence number.
    const std::string contact = "Contact: <sip:bob@192.0.2.4;transport=tcp>\n";
    const std::string branch = "z9hG4bK-tcp-1";
    const std::string ok = sip_response("200 OK", "INVITE", kAlice, 1, branch, "callee", contact);
    const std::uint32_t seq = 4'000'000'000u;  // (any number: a stream's first is random)
    // the INVITE over TCP and its 200 at `seq`, 20 ms later; the 200's frame
    const auto answered_over_tcp = [&](Flow& f) {
        f.at_tcp(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch), 77);
        return f.at_tcp(20, ok, seq);
    };
    SECTION("positive: a resend before the ACK, and one long after it") {
        Flow f;
        const auto r200 = answered_over_tcp(f);
        const auto resend = f.at_tcp(320, ok, seq);
        const auto ack = f.at_tcp(330, sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, "z9hG4bKack", "callee"), 900);
        const auto late = f.at_tcp(2330, ok, seq);  // 2 s after the ACK, far past T1
        f.run();
        for (const bool second : {false, true}) {
            INFO("second pass: " << second);
            const auto report = [&](std::uint32_t frame) { return second ? f.second(frame).sequence : f.first(frame).sequence; };
            CHECK(report(resend).copy_of == r200);
            CHECK(report(resend).tcp_resend_of == r200);
            CHECK(report(resend).tcp_resend_delay_ns == 300'000'000);
            CHECK(report(resend).duplicate_of == 0);
            CHECK(report(late).copy_of == r200);
            CHECK(report(late).tcp_resend_of == resend);  // (the copy before it)
            CHECK(report(late).copy_after_ack_frame == 0);
            CHECK(report(r200).tcp_resend_of == 0);
        }
        CHECK(f.second(r200).sequence.findings.empty());
        CHECK(f.second(r200).sequence.ack == AckState::acked);
        CHECK(f.second(r200).sequence.ack_frame == ack);
        CHECK(f.second(r200).sequence.retransmissions == 0);
        CHECK(f.second(r200).sequence.retransmissions_after_ack == 0);
    }
    SECTION("negative: SIP's own retransmissions over TCP, further on in the stream, still count") {
        Flow f;
        const auto r200 = answered_over_tcp(f);
        const auto again = f.at_tcp(520, ok, seq + static_cast<std::uint32_t>(ok.size()));  // (wraps past 2^32)
        f.at_tcp(530, sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, "z9hG4bKack", "callee"), 900);
        const auto late = f.at_tcp(2530, ok, seq + 2 * static_cast<std::uint32_t>(ok.size()));
        f.run();
        CHECK(f.first(again).sequence.tcp_resend_of == 0);
        CHECK(f.second(again).sequence.tcp_resend_of == 0);
        CHECK(f.second(late).sequence.tcp_resend_of == 0);
        CHECK(f.second(late).sequence.copy_after_ack_frame != 0);
        CHECK(f.second(r200).sequence.retransmissions == 1);
        CHECK(f.second(r200).sequence.retransmissions_after_ack == 1);
        CHECK(finding(f.second(r200), RuleId::invite_2xx_not_acked) != nullptr);
    }
    SECTION("negative: a copy whose sequence number is not known counts, as over UDP") {
        Flow f;
        const auto r200 = answered_over_tcp(f);
        const auto unknown = f.at(320, ok);  // (a segment that began with the rest of another message)
        f.run();
        CHECK(f.second(unknown).sequence.tcp_resend_of == 0);
        CHECK(f.second(r200).sequence.retransmissions == 1);
        CHECK(finding(f.second(r200), RuleId::invite_2xx_not_acked) != nullptr);
    }
    SECTION("a segment captured twice under 1 ms apart is a duplicate, whatever its number") {
        Flow f;
        const auto r200 = answered_over_tcp(f);
        const auto twin = f.at_tcp(20, ok, seq);
        f.run();
        CHECK(f.second(twin).sequence.duplicate_of == r200);
        CHECK(f.second(twin).sequence.tcp_resend_of == 0);
    }
    SECTION("a redirect's resend is named too, with no count of its own") {
        Flow f;
        f.at_tcp(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch), 77);
        const std::string r302 = sip_response("302 Moved Temporarily", "INVITE", kAlice, 1, branch, "rs", contact);
        const auto first = f.at_tcp(20, r302, seq);
        const auto resend = f.at_tcp(420, r302, seq);
        f.run();
        CHECK(f.first(resend).sequence.tcp_resend_of == first);
        CHECK(f.second(resend).sequence.tcp_resend_of == first);
        CHECK(f.second(first).sequence.retransmissions == 0);
    }
}

TEST_CASE("a message Wireshark hid is learned from, never reported, and never counted unreadable", "[tracking]") {
    // With its default preferences Wireshark hands a TCP segment it takes
    // for a resend to no dissector; when the capture missed the first copy
    // (lost before the capture point), the ACK in it is the only one there
    // is, and the plugin gives it to the tracker itself (TcpStreams).
    const std::string branch = "z9hG4bK-hidden-1";
    const std::string contact = "Contact: <sip:bob@192.0.2.4;transport=tcp>\n";
    const std::string ok = sip_response("200 OK", "INVITE", kAlice, 1, branch, "callee", contact);
    const std::string ack = sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, "z9hG4bKack", "callee");
    const std::string bye = sip_request("BYE", "sip:bob@192.0.2.4", kAlice, 2, "z9hG4bKbye", "callee");
    SECTION("positive: the hidden ACK answers the 2xx, and a later BYE is no sign of a lost one") {
        Flow f;
        f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch));
        const auto r200 = f.at(20, ok);
        const auto hidden = f.at_hidden(250, ack);
        f.at(1000, bye);
        f.run();
        CHECK(f.second(r200).sequence.findings.empty());
        CHECK(f.second(r200).sequence.ack == AckState::acked);
        CHECK(f.second(r200).sequence.ack_frame == hidden);
    }
    SECTION("negative: without it, the BYE shows the ACK never passed") {
        Flow f;
        f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch));
        const auto r200 = f.at(20, ok);
        const auto after = f.at(1000, bye);
        f.run();
        const SequenceFinding* hit = finding(f.second(r200), RuleId::invite_2xx_not_acked);
        REQUIRE(hit != nullptr);
        CHECK(hit->frame == after);
    }
    SECTION("a hidden segment's cut message (the start of one TCP reassembles later) is not counted unreadable") {
        const std::string moved = sip_response("302 Moved Temporarily", "OPTIONS", kAlice, 7, "z9hG4bKo", "rs",
                                               "Contact: <sip:bob@192.0.2.4>\n");
        const std::string moved_again = sip_response("302 Moved Temporarily", "OPTIONS", kAlice, 8, "z9hG4bKp", "rs",
                                                     "Contact: <sip:bob@192.0.2.4>\n");
        CaptureTracker t;
        for (const bool first_pass : {true, false}) {
            INFO("first pass: " << first_pass);
            if (first_pass) {
                MessagePosition hidden{1, 0, 1'000'000'000, true, 0, 0, false};
                hidden.shown = false;
                t.observe(hidden, ok.substr(0, 40));
            }
            CHECK(t.observe({2, 0, 1'010'000'000, first_pass}, moved).unreadable_messages == 0);
            // the same cut message shown (a snapshot length) is counted
            t.observe({3, 0, 1'020'000'000, first_pass, 0, 0, true}, ok.substr(0, 40));
            CHECK(t.observe({4, 0, 1'030'000'000, first_pass}, moved_again).unreadable_messages == 1);
        }
    }
}

TEST_CASE("a frame Wireshark hid is marked where a report names it", "[tracking]") {
    // Whoever opens such a frame sees TCP alone: the report says the ACK or
    // the request is there all the same (SequenceReport::ack_hidden,
    // TargetFollow::hidden).
    const std::string branch = "z9hG4bK-hidden-2";
    const std::string ok = sip_response("200 OK", "INVITE", kAlice, 1, branch, "callee",
                                        "Contact: <sip:bob@192.0.2.4;transport=tcp>\n");
    const std::string ack = sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, "z9hG4bKack2", "callee");
    for (const bool hide : {true, false}) {
        INFO("ACK hidden: " << hide);
        Flow f;
        f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch));
        const auto r200 = f.at(20, ok);
        const auto acked = hide ? f.at_hidden(250, ack) : f.at(250, ack);
        f.run();
        CHECK(f.second(r200).sequence.ack_frame == acked);
        CHECK(f.second(r200).sequence.ack_hidden == hide);
    }
    // the request a response answers, in a hidden segment
    for (const bool hide : {true, false}) {
        INFO("INVITE hidden: " << hide);
        CaptureTracker t;
        MessagePosition invite{1, 0, 1'000'000'000, true};
        invite.shown = !hide;
        t.observe(invite, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch));
        for (const bool first_pass : {true, false}) {
            const MessageReport& r = t.observe({2, 0, 1'020'000'000, first_pass}, ok);
            REQUIRE(r.request != nullptr);
            CHECK(r.request->frame == 1);
            CHECK(r.request->hidden == hide);
        }
    }
    // a 302's ACK, and the new call to its target, each in a hidden segment
    const Caller leg = new_call("leg-hidden@192.0.2.1", "fh");
    const std::string leg_branch = "z9hG4bK-leg-hidden";
    for (const bool hide : {true, false}) {
        INFO("hidden: " << hide);
        Flow f;
        f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, "z9hG4bK-r"));
        const auto r302 = f.at(10, sip_response("302 Moved Temporarily", "INVITE", kAlice, 1, "z9hG4bK-r", "rs",
                                                "Contact: <sip:bob@192.0.2.4>\n"));
        const std::string ack302 = sip_request("ACK", "sip:bob@example.com", kAlice, 1, "z9hG4bK-r", "rs");
        const auto acked = hide ? f.at_hidden(11, ack302) : f.at(11, ack302);
        const std::string invite = sip_request("INVITE", "sip:bob@192.0.2.4", leg, 1, leg_branch);
        const auto follower = hide ? f.at_hidden(50, invite) : f.at(50, invite);
        f.run();
        const SequenceReport& seq = f.second(r302).sequence;
        CHECK(seq.ack_frame == acked);
        CHECK(seq.ack_hidden == hide);
        REQUIRE(seq.follows.size() == 1);
        CHECK(seq.follows[0].frame == follower);
        CHECK(seq.follows[0].hidden == hide);
        CHECK(seq.findings.empty());
    }
    // the 302 a request follows, in a hidden segment (its message after
    // keep-alive line ends): the request's Redirected by says so
    for (const bool hide : {true, false}) {
        INFO("302 hidden: " << hide);
        Flow f;
        f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, "z9hG4bK-k"));
        const std::string moved = sip_response("302 Moved Temporarily", "INVITE", kAlice, 1, "z9hG4bK-k", "rk",
                                               "Contact: <sip:bob@192.0.2.4>\n");
        const auto r302 = hide ? f.at_hidden(10, moved) : f.at(10, moved);
        f.at(11, sip_request("ACK", "sip:bob@example.com", kAlice, 1, "z9hG4bK-k", "rk"));
        const auto follower = f.at(50, sip_request("INVITE", "sip:bob@192.0.2.4", kAlice, 2, "z9hG4bK-k2"));
        f.run();
        for (const auto* report : {&f.first(follower), &f.second(follower)}) {
            CHECK(report->sequence.redirected_by == r302);
            CHECK(report->sequence.redirected_by_hidden == hide);
        }
    }
}

// ---- invite-2xx-not-acked -------------------------------------------------------------

namespace {

// One call's INVITE and its 200, for the two halves below.
struct AnsweredCall {
    const std::string contact = "Contact: <sip:bob@192.0.2.4>\n";
    const std::string branch = "z9hG4bK-call-1@192.0.2.1-1";
    const std::string ok = sip_response("200 OK", "INVITE", kAlice, 1, branch, "callee", contact);
    // the INVITE at 0 ms and its 200 at 20 ms; returns the 200's frame
    std::uint32_t answered_at_20(Flow& f) const {
        f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch));
        return f.at(20, ok);
    }
};

}  // namespace

// (in two halves: one function this size outgrew GCC's limit for tracking
// variables in the sanitized build's debug information)
TEST_CASE_METHOD(AnsweredCall, "invite-2xx-not-acked", "[tracking][rule]") {
    SECTION("positive: the 200 is retransmitted, the ACK never comes") {
        Flow f;
        const auto r200 = answered_at_20(f);
        f.at(520, ok);
        f.run();
        CHECK(finding(f.first(r200), RuleId::invite_2xx_not_acked) == nullptr);
        const SequenceFinding* hit = finding(f.second(r200), RuleId::invite_2xx_not_acked);
        REQUIRE(hit != nullptr);
        CHECK(hit->count == 1);
    }
    SECTION("positive: no ACK, yet the caller sends BYE in the dialog") {
        Flow f;
        const auto r200 = answered_at_20(f);
        const auto bye = f.at(2000, sip_request("BYE", "sip:bob@192.0.2.4", kAlice, 2, "z9hG4bKbye", "callee"));
        f.run();
        const SequenceFinding* hit = finding(f.second(r200), RuleId::invite_2xx_not_acked);
        REQUIRE(hit != nullptr);
        CHECK(hit->frame == bye);
    }
    SECTION("negative: the caller sends its BYE before its ACK, and the ACK still comes") {
        // pjsip turning a 200 down (pcaps/real/jami.pcap): 13.2.2.4 asks
        // for the ACK first, but the ACK that follows is still this 200's
        Flow f;
        const auto r200 = answered_at_20(f);
        f.at(22, sip_request("BYE", "sip:bob@192.0.2.4", kAlice, 2, "z9hG4bKbye", "callee"));
        const auto ack = f.at(28, sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, "z9hG4bKack", "callee"));
        f.run();
        CHECK(f.first(r200).sequence.findings.empty());
        CHECK(f.second(r200).sequence.findings.empty());
        CHECK(f.second(r200).sequence.ack == AckState::acked);
        CHECK(f.second(r200).sequence.ack_frame == ack);
    }
    SECTION("negative: ACKed (through a proxy: two legs, one ACK each); and a capture that ends first") {
        Flow f;
        Caller proxy_leg = kAlice;
        proxy_leg.via = "192.0.2.99:5060";  // the proxy's Via on top of the upstream 200
        f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch));
        const auto upstream = f.at(20, sip_response("200 OK", "INVITE", proxy_leg, 1, "z9hG4bKproxy", "callee", contact));
        const auto downstream = f.at(21, sip_response("200 OK", "INVITE", kAlice, 1, branch, "callee", contact));
        f.at(22, sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, "z9hG4bKack", "callee"));
        f.at(23, sip_request("ACK", "sip:bob@192.0.2.4", proxy_leg, 1, "z9hG4bKack2", "callee"));
        f.at(3000, sip_request("BYE", "sip:bob@192.0.2.4", kAlice, 2, "z9hG4bKbye", "callee"));
        const Caller last = new_call("last", "fz");
        f.at(4000, sip_request("INVITE", "sip:bob@example.com", last, 1, "z9hG4bKlast"));
        const auto unanswered = f.at(4020, sip_response("200 OK", "INVITE", last, 1, "z9hG4bKlast", "c2", contact));
        f.run();
        CHECK(f.second(upstream).sequence.findings.empty());
        CHECK(f.second(downstream).sequence.findings.empty());
        CHECK(f.second(downstream).sequence.ack == AckState::acked);
        CHECK(f.second(unanswered).sequence.findings.empty());
        CHECK(f.second(unanswered).sequence.ack == AckState::unknown);
    }
}

TEST_CASE_METHOD(AnsweredCall, "invite-2xx-not-acked at a proxy, and past one", "[tracking][rule]") {
    SECTION("positive: at a proxy the caller's ACK passes, but the callee's 200 keeps coming (ACK not relayed)") {
        Flow f;
        Caller proxy_leg = kAlice;
        proxy_leg.via = "192.0.2.99:5060";
        f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch));
        const std::string upstream_ok = sip_response("200 OK", "INVITE", proxy_leg, 1, "z9hG4bKproxy", "callee", contact);
        const std::string downstream_ok = sip_response("200 OK", "INVITE", kAlice, 1, branch, "callee", contact);
        const auto upstream = f.at(20, upstream_ok);
        const auto downstream = f.at(21, downstream_ok);
        const auto ack = f.at(22, sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, "z9hG4bKack", "callee"));
        // the callee retransmits at T1, 2*T1, 4*T1 after its 200; the proxy
        // passes each copy on; 520 ms is within T1 of the ACK, the rest not
        std::vector<std::uint32_t> upstream_copies;
        for (const std::int64_t at : {520, 1520, 3520}) {
            upstream_copies.push_back(f.at(at, upstream_ok));
            f.at(at + 1, downstream_ok);
        }
        f.run();
        // each copy tells on its own, from the past alone, on both passes
        for (const bool first_pass : {true, false}) {
            const auto& seen = [&](std::uint32_t frame) -> const SequenceReport& {
                return (first_pass ? f.first(frame) : f.second(frame)).sequence;
            };
            CHECK(seen(upstream_copies[0]).copy_of == upstream);
            CHECK(seen(upstream_copies[0]).copy_after_ack_frame == 0);  // 498 ms: may have crossed it
            CHECK(seen(upstream_copies[1]).copy_after_ack_frame == ack);
            CHECK(seen(upstream_copies[1]).copy_after_ack_ns == 1'498'000'000);
            CHECK(seen(upstream_copies[2]).copy_after_ack_ns == 3'498'000'000);
            CHECK(seen(upstream).copy_after_ack_frame == 0);  // the first copy has the finding instead
        }
        for (const auto leg : {upstream, downstream}) {
            const SequenceFinding* hit = finding(f.second(leg), RuleId::invite_2xx_not_acked);
            REQUIRE(hit != nullptr);
            CHECK(hit->frame == ack);
            CHECK(hit->count == 0);
            CHECK(hit->count_after_ack == 2);
            CHECK(f.second(leg).sequence.ack == AckState::acked);
        }
    }
    // At a proxy (P) each leg's 200 has its own ACK: the caller's (A) to P,
    // and P's relay of it to the callee (B). Which is which shows only in
    // the addresses: the ACK that answers a 2xx goes back to its sender.
    enum : std::uint32_t { A = 11, P = 12, B = 13 };
    Caller proxy_leg = kAlice;
    proxy_leg.via = "192.0.2.99:5060";
    // (P Record-Routes: A's ACK comes back to it)
    const std::string upstream_ok = sip_response("200 OK", "INVITE", proxy_leg, 1, "z9hG4bKproxy", "callee",
                                                 "Record-Route: <sip:192.0.2.99;lr>\n" + contact);
    const auto ack_from = [&](Flow& f, std::int64_t ms, std::uint32_t from, std::uint32_t to) {
        const Caller& who = from == A ? kAlice : proxy_leg;
        return f.at(ms, sip_request("ACK", "sip:bob@192.0.2.4", who, 1, from == A ? "z9hG4bKack" : "z9hG4bKack2",
                                    "callee"), from, to);
    };
    // INVITE A -> P at 0, P -> B at 1; B's 200 to P at 20, P's to A at 21
    const auto call_through_proxy = [&](Flow& f) {
        f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch), A, P);
        f.at(1, sip_request("INVITE", "sip:bob@example.com", proxy_leg, 1, "z9hG4bKproxy"), P, B);
        const auto up = f.at(20, upstream_ok, B, P);
        const auto down = f.at(21, ok, P, A);
        return std::pair{up, down};
    };
    // B sends its 200 again at T1 and 3*T1 after it, and P passes each copy
    // on 1 ms later; returns the frames of B's copies and of P's
    const auto callee_retransmits = [&](Flow& f) {
        std::pair<std::vector<std::uint32_t>, std::vector<std::uint32_t>> copies;
        for (const std::int64_t at : {520, 1520}) {
            copies.first.push_back(f.at(at, upstream_ok, B, P));
            copies.second.push_back(f.at(at + 1, ok, P, A));
        }
        return copies;
    };
    SECTION("negative: at a proxy each leg's 200 cites the ACK sent back to its own sender") {
        Flow f;
        const auto [upstream, downstream] = call_through_proxy(f);
        const auto caller_ack = ack_from(f, 22, A, P);
        const auto relayed_ack = ack_from(f, 23, P, B);
        f.run();
        CHECK(f.second(upstream).sequence.ack_frame == relayed_ack);
        CHECK(f.second(upstream).sequence.ack_delay_ns == 3'000'000);
        CHECK_FALSE(f.second(upstream).sequence.ack_elsewhere);
        CHECK(f.second(downstream).sequence.ack_frame == caller_ack);
        for (const auto leg : {upstream, downstream}) {
            CHECK(f.second(leg).sequence.findings.empty());
            CHECK(f.second(leg).sequence.ack == AckState::acked);
        }
    }
    SECTION("positive: a proxy relays the ACK late, so the callee's copies came before its ACK") {
        Flow f;
        const auto [upstream, downstream] = call_through_proxy(f);
        const auto caller_ack = ack_from(f, 22, A, P);
        const auto [upstream_copies, downstream_copies] = callee_retransmits(f);
        const auto relayed_ack = ack_from(f, 2000, P, B);
        f.run();
        // B waited for an ACK that P held back: both copies came before it
        // (the first too, 498 ms after A's ACK: no ACK was on its way to B)
        const SequenceFinding* up = finding(f.second(upstream), RuleId::invite_2xx_not_acked);
        REQUIRE(up != nullptr);
        CHECK(up->frame == relayed_ack);
        CHECK(up->count == 2);
        CHECK(up->count_after_ack == 0);
        CHECK_FALSE(up->ack_elsewhere);
        CHECK(f.second(upstream).sequence.ack_delay_ns == 1'980'000'000);
        // P passed B's copies on to A 499 ms (may have crossed A's ACK) and
        // 1499 ms after A's ACK
        const SequenceFinding* down = finding(f.second(downstream), RuleId::invite_2xx_not_acked);
        REQUIRE(down != nullptr);
        CHECK(down->frame == caller_ack);
        CHECK(down->count == 0);
        CHECK(down->count_after_ack == 1);
        CHECK_FALSE(down->ack_elsewhere);
        for (const bool first_pass : {true, false}) {
            const auto& seen = [&](std::uint32_t frame) -> const SequenceReport& {
                return (first_pass ? f.first(frame) : f.second(frame)).sequence;
            };
            // B's copies are never said to come after an ACK: the one A sent
            // was not B's, and B's came after them
            for (const auto copy : upstream_copies) CHECK(seen(copy).copy_after_ack_frame == 0);
            CHECK(seen(downstream_copies[0]).copy_after_ack_frame == 0);
            CHECK(seen(downstream_copies[1]).copy_after_ack_frame == caller_ack);
        }
    }
    SECTION("positive: a proxy that never relays the ACK; the callee's copies tell once the file is known") {
        Flow f;
        const auto [upstream, downstream] = call_through_proxy(f);
        const auto caller_ack = ack_from(f, 22, A, P);
        const auto [upstream_copies, downstream_copies] = callee_retransmits(f);
        f.run();
        // no ACK ever went to B: A's is the dialog's only one, and it did
        // not get there. The copy 1498 ms after it counts; the one 498 ms
        // after it is left out, as a copy that may have crossed an ACK to
        // its sender is (a capture at the caller cannot tell this from a
        // direct ACK past a proxy that did not Record-Route: next section)
        const SequenceFinding* up = finding(f.second(upstream), RuleId::invite_2xx_not_acked);
        REQUIRE(up != nullptr);
        CHECK(up->frame == caller_ack);
        CHECK(up->count == 0);
        CHECK(up->count_after_ack == 1);
        CHECK(up->ack_elsewhere);
        CHECK(f.second(upstream).sequence.ack_elsewhere);
        CHECK_FALSE(f.second(upstream).sequence.no_record_route);  // P Record-Routes: it should have relayed it
        CHECK_FALSE(f.second(downstream).sequence.ack_elsewhere);
        // a single pass cannot know P will never relay it
        for (const auto copy : upstream_copies) CHECK(f.first(copy).sequence.copy_after_ack_frame == 0);
        CHECK(f.second(upstream_copies[0]).sequence.copy_after_ack_frame == 0);
        CHECK(f.second(upstream_copies[1]).sequence.copy_after_ack_frame == caller_ack);
        CHECK(f.second(upstream_copies[1]).sequence.copy_after_ack_elsewhere);
        CHECK_FALSE(f.second(upstream_copies[1]).sequence.no_record_route);
        CHECK(f.second(upstream_copies[1]).sequence.copy_after_ack_ns == 1'498'000'000);
        // P's copies to A came long after an ACK A sent to P: that one was lost
        const SequenceFinding* down = finding(f.second(downstream), RuleId::invite_2xx_not_acked);
        REQUIRE(down != nullptr);
        CHECK_FALSE(down->ack_elsewhere);
        CHECK(down->count_after_ack == 1);  // 1499 ms after it; the copy 499 ms after may have crossed it
        CHECK(f.second(downstream_copies[1]).sequence.copy_after_ack_frame == caller_ack);
        CHECK_FALSE(f.second(downstream_copies[1]).sequence.copy_after_ack_elsewhere);
    }
    // Captured at the caller: P did not Record-Route, so A's ACK goes to
    // B's Contact, not back to P, whose 200 A answers. B's copies reach A
    // through P; A's ACK is slow (300 ms after the 200).
    const auto direct_ack_call = [&](Flow& f) {
        f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch), A, P);
        const auto down = f.at(21, ok, P, A);
        const auto ack = ack_from(f, 321, A, B);
        return std::pair{down, ack};
    };
    SECTION("negative: a caller ACKs the callee directly; a copy close behind that ACK may have crossed it") {
        Flow f;
        const auto [downstream, ack] = direct_ack_call(f);
        const auto copy = f.at(521, ok, P, A);  // B's copy at T1, 200 ms after A's ACK
        f.run();
        CHECK(finding(f.second(downstream), RuleId::invite_2xx_not_acked) == nullptr);
        CHECK(f.second(downstream).sequence.ack == AckState::acked);
        CHECK(f.second(downstream).sequence.ack_frame == ack);
        CHECK(f.second(downstream).sequence.ack_elsewhere);  // as it is: none went back to P
        CHECK(f.second(downstream).sequence.no_record_route);  // and rightly: P did not Record-Route
        CHECK(f.second(downstream).sequence.retransmissions == 0);
        CHECK(f.second(downstream).sequence.retransmissions_after_ack == 0);
        for (const bool first_pass : {true, false}) {
            const SequenceReport& seen = (first_pass ? f.first(copy) : f.second(copy)).sequence;
            CHECK(seen.copy_of == downstream);
            CHECK(seen.copy_after_ack_frame == 0);
        }
    }
    SECTION("positive: a caller ACKs the callee directly, and the callee's copies keep coming") {
        Flow f;
        const auto [downstream, ack] = direct_ack_call(f);
        f.at(521, ok, P, A);
        const auto late = f.at(1521, ok, P, A);  // 1.2 s after A's ACK: B never got it
        f.run();
        const SequenceFinding* hit = finding(f.second(downstream), RuleId::invite_2xx_not_acked);
        REQUIRE(hit != nullptr);
        CHECK(hit->frame == ack);
        CHECK(hit->count == 0);
        CHECK(hit->count_after_ack == 1);
        CHECK(hit->ack_elsewhere);
        CHECK(f.first(late).sequence.copy_after_ack_frame == 0);  // a relay to P could still come
        CHECK(f.second(late).sequence.copy_after_ack_frame == ack);
        CHECK(f.second(late).sequence.copy_after_ack_ns == 1'200'000'000);
        CHECK(f.second(late).sequence.copy_after_ack_elsewhere);
        CHECK(f.second(late).sequence.no_record_route);
        CHECK(f.second(downstream).sequence.no_record_route);
    }
    SECTION("positive: copies both before and after the ACK are counted apart") {
        Flow f;
        const auto r200 = answered_at_20(f);
        f.at(520, ok);
        const auto ack = f.at(600, sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, "z9hG4bKack", "callee"));
        f.at(1520, ok);
        f.run();
        const SequenceFinding* hit = finding(f.second(r200), RuleId::invite_2xx_not_acked);
        REQUIRE(hit != nullptr);
        CHECK(hit->frame == ack);
        CHECK(hit->count == 1);
        CHECK(hit->count_after_ack == 1);
        CHECK(f.second(r200 + 1).sequence.copy_after_ack_frame == 0);  // before the ACK, on either pass
        CHECK(f.first(ack + 1).sequence.copy_after_ack_frame == ack);
    }
    SECTION("negative: a copy that crossed the ACK in flight") {
        Flow f;
        const auto r200 = answered_at_20(f);
        f.at(515, sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, "z9hG4bKack", "callee"));
        f.at(520, ok);  // sent at T1, before the ACK arrived
        f.run();
        CHECK(finding(f.second(r200), RuleId::invite_2xx_not_acked) == nullptr);
        CHECK(f.second(r200).sequence.retransmissions == 0);
        CHECK(f.second(r200).sequence.retransmissions_after_ack == 0);
        CHECK(f.first(r200 + 2).sequence.copy_of == r200);
        CHECK(f.first(r200 + 2).sequence.copy_after_ack_frame == 0);
        CHECK(f.second(r200).sequence.ack == AckState::acked);
    }
}

// ---- redirect-chain-too-long -------------------------------------------------------------

TEST_CASE("redirect-chain-too-long", "[tracking][rule]") {
    // hop k redirects sip:uk@example.com to sip:u(k+1)@example.com: in one
    // call (next CSeq), or each hop a new Call-ID with the same From tag and
    // CSeq, as Linphone recurses (pcaps/real/linphone.pcap)
    const auto chain = [](Flow& f, int hops, bool new_call_id_each_hop = false) {
        std::vector<std::uint32_t> frames;
        for (int k = 0; k < hops; ++k)
            frames.push_back(redirected(
                f, 100 * k, new_call_id_each_hop ? new_call("hop-" + std::to_string(k), kAlice.from_tag) : kAlice,
                new_call_id_each_hop ? 20 : static_cast<std::uint32_t>(k + 1),
                "sip:u" + std::to_string(k) + "@example.com", "302 Moved Temporarily",
                "Contact: <sip:u" + std::to_string(k + 1) + "@example.com>\n"));
        return frames;
    };
    SECTION("positive: the sixth redirect of one call, limit 5; on both passes; also with a new Call-ID each hop") {
        for (const bool new_call_id_each_hop : {false, true}) {
            INFO("new Call-ID each hop: " << new_call_id_each_hop);
            Flow f;
            const auto frames = chain(f, 6, new_call_id_each_hop);
            f.run();
            CHECK(finding(f.first(frames[4]), RuleId::redirect_chain_too_long) == nullptr);
            const SequenceFinding* hit = finding(f.first(frames[5]), RuleId::redirect_chain_too_long);
            REQUIRE(hit != nullptr);
            CHECK(hit->count == 6);
            CHECK(finding(f.second(frames[5]), RuleId::redirect_chain_too_long) != nullptr);
        }
    }
    SECTION("negative: five redirects; and the limit is a setting") {
        Flow f;
        const auto frames = chain(f, 5);
        f.run();
        for (auto frame : frames) CHECK(finding(f.second(frame), RuleId::redirect_chain_too_long) == nullptr);
        f.run(TrackerSettings{2});
        CHECK(finding(f.first(frames[1]), RuleId::redirect_chain_too_long) == nullptr);
        CHECK(finding(f.first(frames[2]), RuleId::redirect_chain_too_long) != nullptr);
    }
}

TEST_CASE("tracked state is bounded per entry and a chain walk stops", "[tracking]") {
    // one Call-ID redirected 1000 times to fresh URIs: linear work, each
    // request linked to the redirect just before it
    Flow f;
    std::uint32_t last_invite = 0;
    for (int k = 0; k < 1000; ++k) {
        redirected(f, 10 * k, kAlice, static_cast<std::uint32_t>(k + 1), "sip:u" + std::to_string(k) + "@example.com",
                   "302 Moved Temporarily", "Contact: <sip:u" + std::to_string(k + 1) + "@example.com>\n");
        last_invite = static_cast<std::uint32_t>(3 * k + 1);
    }
    f.run();
    CHECK(f.first(last_invite).sequence.redirect_depth == 999);
    const auto fp = f.tracker().footprint();
    CHECK(fp.requests == 1000);
    CHECK(fp.redirects == 1000);
    CHECK(fp.bytes / 1000 < 2048);
}

// ---- first copies: found from the request, or without it --------------------

TEST_CASE("a copy is told from a fork, with and without the request in the capture", "[tracking]") {
    const std::string contact = "Contact: <sip:bob@192.0.2.4>\n";
    const std::string branch = "z9hG4bK-b1";
    SECTION("no INVITE in the capture: the copy and the ACK still find the first 302") {
        Flow f;
        const std::string r = sip_response("302 Moved Temporarily", "INVITE", kAlice, 1, branch, "rs", contact);
        const auto first = f.at(0, r);
        const auto copy = f.at(510, r);
        const auto ack = f.at(520, sip_request("ACK", "sip:bob@example.com", kAlice, 1, branch, "rs"));
        f.run();
        CHECK(f.first(first).sequence.copy_of == 0);
        CHECK(f.first(copy).sequence.copy_of == first);
        CHECK(f.second(copy).sequence.copy_of == first);
        CHECK(f.second(first).sequence.ack == AckState::acked);
        CHECK(f.second(first).sequence.ack_frame == ack);
        CHECK(f.second(first).sequence.retransmissions == 1);
    }
    SECTION("the 302 before its INVITE (capture order): its copy after the INVITE is still a copy") {
        Flow f;
        const std::string r = sip_response("302 Moved Temporarily", "INVITE", kAlice, 1, branch, "rs", contact);
        const auto first = f.at(0, r);
        f.at(1, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch));
        const auto copy = f.at(600, r);
        f.run();
        CHECK(f.first(copy).sequence.copy_of == first);
    }
    SECTION("forked 2xx: each To tag is its own first copy, and each is ACKed on its own") {
        Flow f;
        f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch));
        const auto ok1 = f.at(100, sip_response("200 OK", "INVITE", kAlice, 1, branch, "t1", contact));
        const auto ok2 = f.at(150, sip_response("200 OK", "INVITE", kAlice, 1, branch, "t2", contact));
        const auto ok2_copy = f.at(650, sip_response("200 OK", "INVITE", kAlice, 1, branch, "t2", contact));
        const auto ok1_copy = f.at(700, sip_response("200 OK", "INVITE", kAlice, 1, branch, "t1", contact));
        const auto ack2 = f.at(710, sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, "z9hG4bK-a2", "t2"));
        const auto ack1 = f.at(720, sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, "z9hG4bK-a1", "t1"));
        f.run();
        CHECK(f.first(ok1).sequence.copy_of == 0);
        CHECK(f.first(ok2).sequence.copy_of == 0);
        CHECK(f.first(ok2_copy).sequence.copy_of == ok2);
        CHECK(f.first(ok1_copy).sequence.copy_of == ok1);
        CHECK(f.second(ok1).sequence.ack_frame == ack1);
        CHECK(f.second(ok2).sequence.ack_frame == ack2);
        CHECK(f.second(ok1).sequence.retransmissions == 1);
        CHECK(f.second(ok2).sequence.retransmissions == 1);
    }
    SECTION("a 2xx and then a 302 on one transaction (no lawful server does it): two first copies") {
        Flow f;
        f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch));
        const auto ok = f.at(100, sip_response("200 OK", "INVITE", kAlice, 1, branch, "t1", contact));
        const std::string r = sip_response("302 Moved Temporarily", "INVITE", kAlice, 1, branch, "rs", contact);
        const auto redirect = f.at(200, r);
        const auto copy = f.at(800, r);
        const auto ack = f.at(810, sip_request("ACK", "sip:bob@example.com", kAlice, 1, branch, "rs"));
        f.run();
        CHECK(f.first(redirect).sequence.copy_of == 0);
        CHECK(f.first(copy).sequence.copy_of == redirect);
        CHECK(f.second(redirect).sequence.ack_frame == ack);
        CHECK(f.second(ok).sequence.ack != AckState::acked);
    }
    SECTION("an ACK carries the To tag of what it acknowledges: one for the 200 of a fork, sent on the "
            "INVITE's branch as RFC 2543 stacks do, leaves the 302 of another fork unacknowledged") {
        // 17.1.1.3: the ACK of a non-2xx copies that response's To; 13.2.2.4:
        // the ACK of a 2xx carries its dialog's To tag
        Flow f;
        f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch));
        const auto redirect = f.at(100, sip_response("302 Moved Temporarily", "INVITE", kAlice, 1, branch, "rs", contact));
        const auto ok = f.at(150, sip_response("200 OK", "INVITE", kAlice, 1, branch, "t1", contact));
        const auto ack = f.at(160, sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, branch, "t1"));
        answered(f, 40'000, new_call("later", "fl"), 1, "sip:carol@example.com");
        f.run();
        CHECK(f.second(ok).sequence.ack == AckState::acked);
        CHECK(f.second(ok).sequence.ack_frame == ack);
        CHECK(f.second(redirect).sequence.ack_frame == 0);
        CHECK(f.second(redirect).sequence.ack == AckState::missing);
        CHECK(finding(f.second(redirect), RuleId::redirect_not_acked) != nullptr);
    }
    SECTION("so does a copy of that ACK, sent after the 200's ACK is known (its dialog no longer followed)") {
        Flow f;
        f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch));
        const auto redirect = f.at(100, sip_response("302 Moved Temporarily", "INVITE", kAlice, 1, branch, "rs", contact));
        const auto ok = f.at(150, sip_response("200 OK", "INVITE", kAlice, 1, branch, "t1", contact));
        const auto ack = f.at(160, sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, branch, "t1"));
        f.at(660, sip_response("200 OK", "INVITE", kAlice, 1, branch, "t1", contact));
        f.at(670, sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, branch, "t1"));
        answered(f, 40'000, new_call("later", "fl"), 1, "sip:carol@example.com");
        f.run();
        CHECK(f.second(ok).sequence.ack_frame == ack);
        CHECK(f.second(redirect).sequence.ack_frame == 0);
        CHECK(finding(f.second(redirect), RuleId::redirect_not_acked) != nullptr);
    }
    SECTION("a 2xx copied after its ACK is still a copy, and a fork's 2xx after it still its own") {
        Flow f;
        f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch));
        const auto ok1 = f.at(100, sip_response("200 OK", "INVITE", kAlice, 1, branch, "t1", contact));
        const auto ack1 = f.at(110, sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, "z9hG4bK-a1", "t1"));
        const auto ok1_copy = f.at(600, sip_response("200 OK", "INVITE", kAlice, 1, branch, "t1", contact));
        const auto ok2 = f.at(700, sip_response("200 OK", "INVITE", kAlice, 1, branch, "t2", contact));
        const auto ack2 = f.at(710, sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, "z9hG4bK-a2", "t2"));
        f.run();
        CHECK(f.first(ok1_copy).sequence.copy_of == ok1);
        CHECK(f.second(ok1_copy).sequence.copy_of == ok1);
        CHECK(f.first(ok2).sequence.copy_of == 0);
        CHECK(f.second(ok2).sequence.copy_of == 0);
        CHECK(f.second(ok1).sequence.ack_frame == ack1);
        CHECK(f.second(ok1).sequence.retransmissions == 0);  // sent again after its ACK: not a retransmission waiting for one
        CHECK(f.second(ok2).sequence.ack_frame == ack2);
    }
}

TEST_CASE("invite-2xx-not-acked: a caller that answers a later fork's 2xx with the first fork's ACK again",
          "[tracking]") {
    // 13.2.2.4: each 2xx of a forked INVITE opens a dialog of its own and
    // needs an ACK with its To tag. A caller that matches 2xx by transaction
    // alone takes the second fork's 200 for a copy of the first and sends
    // the first fork's ACK again (seen from Jami's pjsip). Captured at the
    // caller (1); the proxy (9) record-routes, so the 200s come from it and
    // the ACKs go to it.
    const std::string branch = "z9hG4bK-fork";
    const std::string contact_a = "Contact: <sip:bob@192.0.2.41>\nRecord-Route: <sip:192.0.2.9;lr>\n";
    const std::string contact_b = "Contact: <sip:bob@192.0.2.42>\nRecord-Route: <sip:192.0.2.9;lr>\n";
    const std::uint32_t caller = 1, proxy = 9;
    Flow f;
    f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch), caller, proxy);
    const auto ok_a = f.at(100, sip_response("200 OK", "INVITE", kAlice, 1, branch, "ta", contact_a), proxy, caller);
    const auto ack_a = f.at(110, sip_request("ACK", "sip:bob@192.0.2.41", kAlice, 1, "z9hG4bK-acka", "ta"), caller,
                            proxy);
    const auto ok_b = f.at(150, sip_response("200 OK", "INVITE", kAlice, 1, branch, "tb", contact_b), proxy, caller);
    const std::string ack_a_again = sip_request("ACK", "sip:bob@192.0.2.41", kAlice, 1, "z9hG4bK-acka", "ta");
    SECTION("the first fork's ACK sent again after the second 200: that 200 has no ACK of its own") {
        const auto again = f.at(160, ack_a_again, caller, proxy);
        f.run();
        const auto& b = f.second(ok_b).sequence;
        CHECK(b.ack == AckState::missing);
        CHECK(b.other_fork_ack_frame == again);
        CHECK(b.other_fork_frame == ok_a);
        const SequenceFinding* not_acked = finding(f.second(ok_b), RuleId::invite_2xx_not_acked);
        REQUIRE(not_acked != nullptr);
        CHECK(not_acked->frame == again);
        CHECK(not_acked->frame == b.other_fork_ack_frame);  // the ACK the tree names
        // the first fork's 200 keeps its first ACK and no finding
        CHECK(f.second(ok_a).sequence.ack_frame == ack_a);
        CHECK(f.second(ok_a).sequence.other_fork_ack_frame == 0);
        CHECK(finding(f.second(ok_a), RuleId::invite_2xx_not_acked) == nullptr);
        // a forward finding: the first pass cannot know
        CHECK(finding(f.first(ok_b), RuleId::invite_2xx_not_acked) == nullptr);
    }
    SECTION("the same without Record-Route: both ACKs go straight to the first fork, past the proxy") {
        Flow g;
        const std::string bare_a = "Contact: <sip:bob@192.0.2.41>\n", bare_b = "Contact: <sip:bob@192.0.2.42>\n";
        const std::uint32_t fork_a = 2;
        g.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch), caller, proxy);
        const auto a = g.at(100, sip_response("200 OK", "INVITE", kAlice, 1, branch, "ta", bare_a), proxy, caller);
        g.at(110, ack_a_again, caller, fork_a);
        const auto b = g.at(150, sip_response("200 OK", "INVITE", kAlice, 1, branch, "tb", bare_b), proxy, caller);
        const auto again = g.at(160, ack_a_again, caller, fork_a);
        g.run();
        CHECK(g.second(b).sequence.other_fork_ack_frame == again);
        CHECK(g.second(b).sequence.other_fork_frame == a);
        CHECK(finding(g.second(b), RuleId::invite_2xx_not_acked) != nullptr);
    }
    SECTION("a second fork that sends its 200 again: the copies count, and the wrong ACK is still named") {
        const auto again = f.at(160, ack_a_again, caller, proxy);
        f.at(650, sip_response("200 OK", "INVITE", kAlice, 1, branch, "tb", contact_b), proxy, caller);
        f.at(660, ack_a_again, caller, proxy);
        f.run();
        const auto& b = f.second(ok_b).sequence;
        CHECK(b.ack == AckState::missing);
        CHECK(b.retransmissions == 1);
        CHECK(b.other_fork_ack_frame == again);
        const SequenceFinding* not_acked = finding(f.second(ok_b), RuleId::invite_2xx_not_acked);
        REQUIRE(not_acked != nullptr);
        CHECK(not_acked->count == 1);
    }
    SECTION("negative: each fork ACKed with its own To tag") {
        const auto ack_b = f.at(160, sip_request("ACK", "sip:bob@192.0.2.42", kAlice, 1, "z9hG4bK-ackb", "tb"),
                                caller, proxy);
        f.run();
        CHECK(f.second(ok_b).sequence.ack_frame == ack_b);
        CHECK(f.second(ok_b).sequence.other_fork_ack_frame == 0);
        CHECK(f.second(ok_b).sequence.findings.empty());
        CHECK(f.second(ok_a).sequence.findings.empty());
    }
    SECTION("negative: the first fork's ACK sent again for a copy of its own 200") {
        f.at(600, sip_response("200 OK", "INVITE", kAlice, 1, branch, "ta", contact_a), proxy, caller);
        f.at(610, ack_a_again, caller, proxy);
        f.run();
        CHECK(f.second(ok_b).sequence.other_fork_ack_frame == 0);
        CHECK(f.second(ok_b).sequence.ack == AckState::unknown);
        CHECK(finding(f.second(ok_b), RuleId::invite_2xx_not_acked) == nullptr);
    }
    SECTION("negative: a caller slow to ACK answers the first fork's 200 and its copy with two ACKs in a row") {
        // the copy came at T1, before the first ACK; each ACK answers one copy
        Flow g;
        g.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch), caller, proxy);
        g.at(100, sip_response("200 OK", "INVITE", kAlice, 1, branch, "ta", contact_a), proxy, caller);
        const auto b = g.at(150, sip_response("200 OK", "INVITE", kAlice, 1, branch, "tb", contact_b), proxy, caller);
        g.at(600, sip_response("200 OK", "INVITE", kAlice, 1, branch, "ta", contact_a), proxy, caller);
        g.at(700, ack_a_again, caller, proxy);
        g.at(705, ack_a_again, caller, proxy);
        g.run();
        CHECK(g.second(b).sequence.other_fork_ack_frame == 0);
        CHECK(finding(g.second(b), RuleId::invite_2xx_not_acked) == nullptr);
    }
    SECTION("negative: the first fork's ACK sent again by TCP (its segment's copy), not by the caller") {
        // With tcp.analyze_sequence_numbers off Wireshark hands SIP the
        // segment TCP resent, 200 ms on: the caller sent one ACK
        f.at_tcp_resend(310, ack_a_again, caller, proxy);
        f.run();
        CHECK(f.second(ok_b).sequence.other_fork_ack_frame == 0);
        CHECK(f.second(ok_b).sequence.ack == AckState::unknown);
        CHECK(finding(f.second(ok_b), RuleId::invite_2xx_not_acked) == nullptr);
    }
    SECTION("negative: the first fork's ACK captured twice (under a millisecond apart), not sent twice") {
        f.at(110, ack_a_again, caller, proxy);
        f.run();
        CHECK(f.second(ok_b).sequence.other_fork_ack_frame == 0);
        CHECK(finding(f.second(ok_b), RuleId::invite_2xx_not_acked) == nullptr);
    }
    SECTION("negative: at the proxy, its relay of the first fork's ACK on to that fork") {
        f.at(160, ack_a_again, proxy, 2);
        f.run();
        CHECK(f.second(ok_b).sequence.other_fork_ack_frame == 0);
        CHECK(f.second(ok_b).sequence.ack == AckState::unknown);
    }
    SECTION("negative: addresses unknown, so a relay cannot be told from a copy: no claim") {
        Flow g;
        g.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch));
        g.at(100, sip_response("200 OK", "INVITE", kAlice, 1, branch, "ta", contact_a));
        g.at(110, ack_a_again);
        const auto b = g.at(150, sip_response("200 OK", "INVITE", kAlice, 1, branch, "tb", contact_b));
        g.at(160, ack_a_again);
        g.run();
        CHECK(g.second(b).sequence.other_fork_ack_frame == 0);
        CHECK(finding(g.second(b), RuleId::invite_2xx_not_acked) == nullptr);
    }
}

TEST_CASE("the 2xx-by-dialog table holds the calls waiting for their ACK, not every call", "[tracking]") {
    // 1,000 calls answered and ACKed: each dialog leaves the table at its
    // ACK, so it never grows past its first 16 slots (10 bytes each).
    // Without the ACKs every 2xx stays (evidence for a missing ACK), in
    // 1,536 slots at most 75% full.
    // With addresses known, an ACK sent back to the 2xx's sender ends its
    // wait the same way; one sent elsewhere leaves it waiting for a relay.
    enum class Ack { to_sender, elsewhere, none };
    for (const Ack ack : {Ack::to_sender, Ack::elsewhere, Ack::none}) {
        for (const bool addresses : {false, true}) {
            Flow f;
            const std::uint32_t caller = addresses ? 1 : 0, callee = addresses ? 2 : 0;
            const std::uint32_t ack_to = ack == Ack::elsewhere && addresses ? 3 : callee;
            for (int k = 0; k < 1000; ++k) {
                const Caller c = new_call("call-" + std::to_string(k), "f" + std::to_string(k));
                const std::string b = "z9hG4bK-" + c.call_id;
                f.at(100 * k, sip_request("INVITE", "sip:bob@example.com", c, 1, b), caller, callee);
                f.at(100 * k + 20,
                     sip_response("200 OK", "INVITE", c, 1, b, "callee", "Contact: <sip:bob@192.0.2.4>\n"), callee,
                     caller);
                if (ack != Ack::none)
                    f.at(100 * k + 21, sip_request("ACK", "sip:bob@192.0.2.4", c, 1, b + "-ack", "callee"), caller,
                         ack_to);
            }
            f.run();
            std::size_t table = 0;
            for (const auto& part : f.tracker().footprint().parts)
                if (std::string(part.name) == "table: final by dialog") table = part.bytes;
            const bool emptied = ack == Ack::to_sender || (ack == Ack::elsewhere && !addresses);
            CHECK(table == (emptied ? 16 * 10 : 1536 * 10));
        }
    }
}

TEST_CASE("a response met out of order on the first pass is a copy of the one met first, on every pass",
          "[tracker]") {
    const Caller c;
    const std::string r = sip_response("302 Moved Temporarily", "INVITE", c, 1, "z9hG4bK-o", "rs",
                                       "Contact: <sip:bob@192.0.2.4>\n");
    CaptureTracker tracker;
    tracker.observe({5, 0, 1'000'000'000, true}, r);
    const MessageReport& late = tracker.observe({3, 0, 900'000'000, true}, r);
    CHECK(late.analysed);
    CHECK(late.sequence.copy_of == 5);
    CHECK(tracker.observe({3, 0, 900'000'000, false}, r).sequence.copy_of == 5);
    CHECK(tracker.observe({5, 0, 1'000'000'000, false}, r).sequence.copy_of == 0);
    CHECK(tracker.observe({5, 0, 1'000'000'000, false}, r).analysed);
}

TEST_CASE("a retransmitted request shows its redirect link at its first copy only", "[tracking]") {
    Flow f;
    const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily",
                                 "Contact: <sip:bob@192.0.2.4>\n");
    const std::string invite = sip_request("INVITE", "sip:bob@192.0.2.4", kAlice, 2, "z9hG4bK-again");
    const auto follow = f.at(100, invite);
    const auto again = f.at(600, invite);  // Timer A: the same request, 500 ms later
    f.run();
    for (const auto* seen : {&f.first(follow), &f.second(follow)}) {
        CHECK(seen->sequence.redirected_by == r302);
        CHECK(seen->sequence.redirected_delay_ns == 90'000'000);
    }
    for (const auto* seen : {&f.first(again), &f.second(again)}) {
        CHECK(seen->sequence.redirected_by == 0);
        CHECK(seen->sequence.redirect_depth == 0);
    }
}

TEST_CASE("a retransmission long after its first copy counts, however many responses came between", "[tracking]") {
    // thousands of other calls' 302s push the first copy out of the recent
    // ones; its copy 2 s later is still a retransmission, and a twin of that
    // copy in the same millisecond is still a duplicate
    const std::string contact = "Contact: <sip:bob@192.0.2.4>\n";
    Flow f;
    const auto r302 = redirected(f, 0, kAlice, 1, "sip:bob@example.com", "302 Moved Temporarily", contact, false);
    for (int k = 0; k < 5000; ++k) {
        const Caller other = new_call("other-" + std::to_string(k), "o" + std::to_string(k));
        f.at(1 + k / 5000, sip_response("302 Moved Temporarily", "INVITE", other, 1, "z9hG4bK-o" + std::to_string(k),
                                         "rs", contact));
    }
    const std::string copy = sip_response("302 Moved Temporarily", "INVITE", kAlice, 1,
                                          "z9hG4bK-call-1@192.0.2.1-1", "rs", contact);
    f.at(2000, copy);
    const auto twin = f.at(2000, copy);  // same millisecond: the Flow's clock counts in ms
    f.run();
    CHECK(f.first(twin).sequence.copy_of == r302);
    CHECK(f.second(r302).sequence.retransmissions == 1);
}

TEST_CASE("a 2xx whose body the capture cut short is analysed, and paired with its ACK", "[tracking]") {
    // A capture with a snapshot length that keeps a 200's header section
    // and only the start of its SDP: the Contact and the dialog are all in
    // the header section, so the 200 is read, and its ACK found.
    const std::string branch = "z9hG4bK-call-1@192.0.2.1-1";
    std::string ok = sip_response("200 OK", "INVITE", kAlice, 1, branch, "callee",
                                  "Contact: <sip:bob@192.0.2.4>\nContent-Type: application/sdp\n");
    const std::string sdp = "v=0\r\no=bob 1 1 IN IP4 192.0.2.4\r\ns=-\r\nc=IN IP4 192.0.2.4\r\nt=0 0\r\n"
                            "m=audio 4000 RTP/AVP 0\r\n";
    const std::size_t length_at = ok.find("Content-Length: 0");
    REQUIRE(length_at != std::string::npos);
    ok.replace(length_at, 17, "Content-Length: " + std::to_string(sdp.size()));
    ok += sdp;
    const std::size_t kept = ok.find("\r\n\r\n") + 4 + 10;  // the header section and 10 bytes of SDP
    Flow f;
    f.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch));
    const auto r200 = f.at_cut(20, ok, kept);
    const auto ack = f.at(21, sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, branch + "-ack", "callee"));
    f.run();
    CHECK(f.first(r200).analysed);
    REQUIRE(f.second(r200).analysed);
    CHECK(f.second(r200).sequence.ack == AckState::acked);
    CHECK(f.second(r200).sequence.ack_frame == ack);
    CHECK(f.second(r200).sequence.findings.empty());
    // The same bytes as they arrived (no cut known): a datagram short of
    // its Content-Length, which a receiver drops (18.3), is not read
    Flow sent;
    sent.at(0, sip_request("INVITE", "sip:bob@example.com", kAlice, 1, branch));
    const auto short_200 = sent.at(20, ok.substr(0, kept));
    sent.at(21, sip_request("ACK", "sip:bob@192.0.2.4", kAlice, 1, branch + "-ack", "callee"));
    sent.run();
    CHECK_FALSE(sent.first(short_200).analysed);
    CHECK_FALSE(sent.second(short_200).analysed);
}

TEST_CASE("a request compares at most kCompareBudget bytes of remembered URIs, and says when it stopped", "[tracking]") {
    // Four redirects of one call, each to 16 targets at the URI the last
    // INVITE names, told apart by one parameter: every target has the
    // INVITE's digest, so each is compared with it in full, by Call-ID and
    // again by From tag (follow_redirects walks both).
    const auto chain = [](Flow& f, const std::string& params) {
        std::uint32_t newest = 0;
        for (int i = 0; i < 4; ++i) {
            std::string contacts;
            for (int k = 0; k < 16; ++k)
                contacts += "Contact: <sip:x@h.example.net" + params + ";z=" + std::to_string(i) + "-" +
                            std::to_string(k) + ">\n";
            newest = redirected(f, i * 100, kAlice, static_cast<std::uint32_t>(i + 1),
                                "sip:r" + std::to_string(i) + "@example.com", "302 Moved Temporarily", contacts);
        }
        const auto follow = answered(f, 1000, kAlice, 5, "sip:x@h.example.net" + params + ";z=3-0");
        f.run();
        return std::pair{newest, follow};
    };
    const auto parameters = [](int count) {
        std::string params;
        for (int p = 0; p < count; ++p) params += ";p" + std::to_string(100 + p) + "=v";
        return params;
    };
    // on both passes: linked to the newest redirect, flagged or not
    const auto check_follow = [](Flow& f, std::uint32_t newest, std::uint32_t follow, bool flagged) {
        for (const bool first : {true, false}) {
            const auto& seen = first ? f.first(follow) : f.second(follow);
            CHECK(seen.sequence.redirected_by == newest);
            CHECK(seen.sequence.uris_not_all_compared == flagged);
            CHECK(seen.sequence.findings.empty());
        }
    };
    SECTION("short URIs: every one compared") {
        Flow f;
        const auto [newest, follow] = chain(f, "");
        check_follow(f, newest, follow, false);
    }
    SECTION("URIs of 40 parameters: a redirect met by both walks is compared once") {
        const std::string params = parameters(40);
        // 63 comparisons (the first target's bytes are the request's: no
        // reading) of some 610 bytes fit in 64 KiB; twice that would not
        const std::size_t pair = 2 * (std::string("sip:x@h.example.net") + params + ";z=3-10").size();
        REQUIRE(63 * pair <= CaptureTracker::kCompareBudget);
        REQUIRE(126 * pair > CaptureTracker::kCompareBudget);
        Flow f;
        const auto [newest, follow] = chain(f, params);
        check_follow(f, newest, follow, false);
    }
    SECTION("URIs of 100 parameters: the newest redirect is found, and the request says the rest were not compared") {
        const std::string params = parameters(100);
        // 128 comparisons of some 1,450 bytes: 185 KB, past the 64 KiB
        REQUIRE(128 * 2 * (std::string("sip:x@h.example.net") + params).size() > CaptureTracker::kCompareBudget);
        Flow f;
        const auto [newest, follow] = chain(f, params);
        check_follow(f, newest, follow, true);
        // the redirects themselves compared nothing remembered
        CHECK_FALSE(f.first(newest).sequence.uris_not_all_compared);
        CHECK_FALSE(f.second(newest).sequence.uris_not_all_compared);
        CHECK(f.second(newest).sequence.follows.at(0).frame == follow);
    }
}
