// RULES.md sections 2-4 from the response alone: targets, ranks, lifetimes,
// and a positive and a negative case for every rule.
#include "catch.h"

#include "numbered_parameters.h"
#include "sip_text.h"

using namespace sipresp;
using sipresp::test::response;

namespace {

// Analyses bytes that are already CRLF (response() output).
struct Resp {
    std::string bytes;
    Message message;
    ResponseAnalysis analysis;
    explicit Resp(std::string text) : bytes(std::move(text)) {
        parse_message(bytes, message);
        REQUIRE(message.status == ParseStatus::complete);
        analyse_response(message, analysis);
    }
    bool fires(RuleId id) const { return sipresp::test::fires(analysis, id); }
    int count(RuleId id) const {
        int n = 0;
        for (const Finding& f : analysis.findings) n += f.rule == id;
        return n;
    }
};

Resp redirect(std::string_view status_line, std::string_view extra, std::string_view method = "INVITE") {
    return Resp(response(status_line, method, extra));
}

}  // namespace

TEST_CASE("targets are ranked by q, ties in header order (8.1.3.4)", "[targets]") {
    const Resp r = redirect("SIP/2.0 300 Multiple Choices",
                            "Contact: <sip:a@192.0.2.1>;q=0.5, <sip:b@192.0.2.2>\n"
                            "Contact: <sip:c@192.0.2.3>;q=0.5, sip:d@192.0.2.4;q=0.9\n");
    REQUIRE(r.analysis.targets.size() == 4);
    // b has the default q=1.0, then d (0.9), then a and c (0.5, header order)
    CHECK(r.analysis.targets[1].rank == 1);
    CHECK(r.analysis.targets[3].rank == 2);
    CHECK(r.analysis.targets[0].rank == 3);
    CHECK(r.analysis.targets[2].rank == 4);
    CHECK(r.analysis.targets[3].q.thousandths == 900);
    CHECK_FALSE(r.analysis.targets[1].q.present);
    CHECK(r.analysis.findings.empty());
}

TEST_CASE("target offsets point at the Contact value in the message", "[targets]") {
    const Resp r = redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:bob@192.0.2.4>;expires=60\n");
    REQUIRE(r.analysis.targets.size() == 1);
    const Target& t = r.analysis.targets[0];
    CHECK(r.bytes.substr(t.offset, t.length) == "<sip:bob@192.0.2.4>;expires=60");
}

TEST_CASE("URI headers of a 3xx target are allowed and kept (19.1.1)", "[targets]") {
    const Resp r = redirect("SIP/2.0 302 Moved Temporarily",
                            "Contact: <sip:conf@192.0.2.4?Subject=weekly>;expires=60\n");
    CHECK(r.analysis.targets[0].has_uri_headers);
    CHECK(r.analysis.targets[0].contact.uri.headers == "Subject=weekly");
    CHECK_FALSE(r.fires(RuleId::uri_headers_outside_redirect));
}

TEST_CASE("lifetime per target and cacheability per code (21.3)", "[targets][lifetime]") {
    SECTION("302: Contact expires wins over the Expires header") {
        const Resp r = redirect("SIP/2.0 302 Moved Temporarily",
                                "Contact: <sip:a@192.0.2.1>;expires=30, <sip:b@192.0.2.2>\nExpires: 300\n");
        CHECK(r.analysis.targets[0].lifetime.source == LifetimeSource::contact_expires);
        CHECK(r.analysis.targets[0].lifetime.seconds == 30);
        CHECK(r.analysis.targets[1].lifetime.source == LifetimeSource::expires_header);
        CHECK(r.analysis.targets[1].lifetime.seconds == 300);
        CHECK(r.analysis.targets[0].cacheable);
        CHECK(r.analysis.targets[1].cacheable);
    }
    SECTION("302 without lifetime: valid once, not cacheable (21.3.3)") {
        const Resp r = redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:a@192.0.2.1>\n");
        CHECK(r.analysis.targets[0].lifetime.source == LifetimeSource::none);
        CHECK_FALSE(r.analysis.targets[0].cacheable);
    }
    SECTION("301 without lifetime: permanent, cacheable") {
        const Resp r = redirect("SIP/2.0 301 Moved Permanently", "Contact: <sip:a@192.0.2.1>\n");
        CHECK(r.analysis.targets[0].lifetime.source == LifetimeSource::none);
        CHECK(r.analysis.targets[0].cacheable);
    }
    SECTION("305 is never cacheable, even with a lifetime") {
        const Resp r = redirect("SIP/2.0 305 Use Proxy", "Contact: <sip:proxy@192.0.2.1>;expires=60\n");
        CHECK_FALSE(r.analysis.targets[0].cacheable);
    }
}

// An Expires header means what the request asked for: how long a 3xx's
// targets or a registrar's bindings last (21.3, 10.2.4), how long a
// subscription runs (RFC 6665 4.1.2.1) or published state lasts (RFC 3903
// 5). A dialog's Contact has no lifetime.
TEST_CASE("what an Expires header in a 2xx gives a lifetime to", "[targets][lifetime]") {
    SECTION("REGISTER: the bindings without their own expires") {
        const Resp r = redirect("SIP/2.0 200 OK", "Contact: <sip:a@192.0.2.1>\nExpires: 300\n", "REGISTER");
        CHECK(r.analysis.targets[0].lifetime.source == LifetimeSource::expires_header);
        CHECK(r.analysis.targets[0].lifetime.seconds == 300);
        CHECK(r.analysis.granted.source == LifetimeSource::none);
    }
    SECTION("SUBSCRIBE: the subscription, not the notifier's Contact") {
        const Resp r = redirect("SIP/2.0 200 OK", "Contact: <sip:a@192.0.2.1>\nExpires: 600\n", "SUBSCRIBE");
        CHECK(r.analysis.targets[0].lifetime.source == LifetimeSource::none);
        CHECK(r.analysis.granted.source == LifetimeSource::expires_header);
        CHECK(r.analysis.granted.seconds == 600);
        const Resp none = redirect("SIP/2.0 200 OK", "Contact: <sip:a@192.0.2.1>\n", "SUBSCRIBE");
        CHECK(none.analysis.granted.source == LifetimeSource::none);
        // 202 and 204 answer a SUBSCRIBE too (RFC 6665 8.3.1, RFC 5839)
        const Resp accepted = redirect("SIP/2.0 202 Accepted", "Contact: <sip:a@192.0.2.1>\nExpires: 60\n",
                                       "SUBSCRIBE");
        CHECK(accepted.analysis.granted.seconds == 60);
    }
    SECTION("PUBLISH: the published event state") {
        const Resp r = redirect("SIP/2.0 200 OK", "SIP-ETag: dx200xyz\nExpires: 1800\n", "PUBLISH");
        CHECK(r.analysis.granted.source == LifetimeSource::expires_header);
        CHECK(r.analysis.granted.seconds == 1800);
    }
    SECTION("INVITE: neither the header nor a Contact parameter times the dialog's remote target") {
        const Resp r = redirect("SIP/2.0 200 OK", "Contact: <sip:a@192.0.2.1>;expires=60\nExpires: 300\n");
        CHECK(r.analysis.targets[0].lifetime.source == LifetimeSource::none);
        CHECK(r.analysis.granted.source == LifetimeSource::none);
    }
    SECTION("a redirect's Expires still times its targets, and is no subscription") {
        const Resp r = redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:a@192.0.2.1>\nExpires: 300\n",
                                "SUBSCRIBE");
        CHECK(r.analysis.targets[0].lifetime.seconds == 300);
        CHECK(r.analysis.granted.source == LifetimeSource::none);
    }
}

// A 2xx that grants no time at all ends what its request set up: a
// subscription granted 0 s is over (an unsubscribe, or a fetch of the state
// once: RFC 6665 4.1.2.3), and published state granted 0 s is removed (RFC
// 3903 4.5). Its meaning says so, not "accepted"; only a readable 0 counts.
TEST_CASE("a 2xx granting 0 s means the subscription or publication ended", "[codes][lifetime]") {
    SECTION("SUBSCRIBE: the subscription ends, one last NOTIFY follows") {
        const Resp r = redirect("SIP/2.0 200 OK", "Contact: <sip:n@192.0.2.9>\nExpires: 0\n", "SUBSCRIBE");
        CHECK(r.analysis.granted.seconds == 0);
        CHECK(r.analysis.status.reference == "RFC 6665 4.1.2.3");
        const std::string meaning(r.analysis.status.meaning);
        CHECK(meaning.find("ends") != std::string::npos);
        CHECK(meaning.find("terminated") != std::string::npos);
        CHECK(meaning.find("accepted") == std::string::npos);
        CHECK(r.analysis.findings.empty());
    }
    SECTION("PUBLISH: the published state is removed") {
        const Resp r = redirect("SIP/2.0 200 OK", "Expires: 0\n", "PUBLISH");
        CHECK(r.analysis.status.reference == "RFC 3903 4.5");
        CHECK(std::string(r.analysis.status.meaning).find("removed") != std::string::npos);
    }
    SECTION("an unregistered 2xx is read as 200, and ends it too (8.1.3.2)") {
        const Resp r = redirect("SIP/2.0 299 Fine", "Contact: <sip:n@192.0.2.9>\nExpires: 0\n", "SUBSCRIBE");
        CHECK(r.analysis.status.reference == "RFC 6665 4.1.2.3");
    }
    SECTION("negative: any time granted, or none stated, is the 200 of its method") {
        for (const char* expires : {"Expires: 1\n", "Expires: 600\n", "", "Expires: soon\n", "Expires: 00\n"}) {
            CAPTURE(expires);
            const std::string extra = std::string("Contact: <sip:n@192.0.2.9>\n") + expires;
            const Resp r = redirect("SIP/2.0 200 OK", extra, "SUBSCRIBE");
            const bool zero = std::string_view(expires) == "Expires: 00\n";  // 1*DIGIT: 00 is 0 s too
            CHECK((r.analysis.status.reference == "RFC 6665 4.1.2.3") == zero);
            if (!zero) CHECK(r.analysis.status.meaning == describe_status(200, "SUBSCRIBE").meaning);
        }
        const Resp published = redirect("SIP/2.0 200 OK", "Expires: 1800\n", "PUBLISH");
        CHECK(published.analysis.status.meaning == describe_status(200, "PUBLISH").meaning);
    }
    SECTION("negative: the other 2xx to SUBSCRIBE keep their own meaning, and other methods ignore it") {
        const Resp accepted = redirect("SIP/2.0 202 Accepted", "Contact: <sip:n@192.0.2.9>\nExpires: 0\n", "SUBSCRIBE");
        CHECK(accepted.analysis.status.meaning == describe_status(202, "SUBSCRIBE").meaning);
        // Expires: 0 in a registrar's 200 times the bindings it lists; this
        // one lists a binding with an hour left (10.2.1.1: the parameter wins)
        const Resp reg = redirect("SIP/2.0 200 OK", "Contact: <sip:u@192.0.2.5>;expires=3600\nExpires: 0\n",
                                  "REGISTER");
        CHECK(reg.analysis.status.meaning == describe_status(200, "REGISTER").meaning);
        const Resp invite = redirect("SIP/2.0 200 OK", "Contact: <sip:n@192.0.2.9>\nExpires: 0\n", "INVITE");
        CHECK(invite.analysis.status.meaning == describe_status(200, "INVITE").meaning);
        // a 3xx's Expires: 0 times its targets, not a subscription
        const Resp moved = redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:a@192.0.2.1>\nExpires: 0\n",
                                    "SUBSCRIBE");
        CHECK(moved.analysis.status.reference == "RFC 3261 21.3.3");
    }
}

// RFC 3261 10.3 step 8: a registrar's 200 lists every binding the
// address-of-record has once the REGISTER is applied. Listing none, or only
// bindings with 0 s left, says none remain: the usual answer to a
// de-registration, and the one an engineer asking "why can't it be called"
// needs to read as such, not as "bindings accepted".
TEST_CASE("a 2xx to REGISTER that leaves no binding says none remain", "[codes][lifetime]") {
    const auto says_none_remain = [](const Resp& r) {
        CAPTURE(r.analysis.status.meaning);
        return r.analysis.status.reference == "RFC 3261 10.3" &&
               std::string_view(r.analysis.status.meaning).find("no bindings remain") != std::string_view::npos;
    };
    SECTION("no Contact at all: the registrar holds nothing for the address-of-record") {
        const Resp r = redirect("SIP/2.0 200 OK", "", "REGISTER");
        CHECK(says_none_remain(r));
        CHECK(std::string_view(r.analysis.status.meaning).find("0 s") == std::string_view::npos);
        CHECK(r.analysis.findings.empty());
    }
    SECTION("only Contacts with 0 s left, by their own parameter or by Expires") {
        const Resp one = redirect("SIP/2.0 200 OK", "Contact: <sip:u@192.0.2.5>;expires=0\n", "REGISTER");
        CHECK(says_none_remain(one));
        CHECK(std::string_view(one.analysis.status.meaning).find("0 s") != std::string_view::npos);
        CHECK(one.analysis.findings.empty());
        const Resp two = redirect("SIP/2.0 200 OK",
                                  "Contact: <sip:u@192.0.2.5>;expires=0, <sip:u@192.0.2.6>;expires=00\n", "REGISTER");
        CHECK(says_none_remain(two));
        // without a parameter the binding breaks its own rule, and Expires: 0 still times it
        const Resp header = redirect("SIP/2.0 200 OK", "Contact: <sip:u@192.0.2.5>\nExpires: 0\n", "REGISTER");
        CHECK(says_none_remain(header));
        CHECK(header.fires(RuleId::register_binding_without_expires));
    }
    SECTION("an unregistered 2xx is read as 200 (8.1.3.2)") {
        CHECK(says_none_remain(redirect("SIP/2.0 299 Fine", "", "REGISTER")));
    }
    SECTION("negative: one binding still has time, or its time is unknown") {
        const std::string_view accepted = describe_status(200, "REGISTER").meaning;
        for (const char* extra : {
                 "Contact: <sip:u@192.0.2.5>;expires=0, <sip:u@192.0.2.6>;expires=60\n",
                 "Contact: <sip:u@192.0.2.5>;expires=1\n",
                 "Contact: <sip:u@192.0.2.5>;expires=0\nContact: <sip:u@192.0.2.6>\n",  // no lifetime at all
                 "Contact: <sip:u@192.0.2.5>;expires=never\n",  // unreadable: 3600 s, never 0
                 "Contact: <sip:u@192.0.2.5>\nExpires: 3600\n",
             }) {
            CAPTURE(extra);
            const Resp r = redirect("SIP/2.0 200 OK", extra, "REGISTER");
            CHECK(r.analysis.status.meaning == accepted);
        }
    }
    SECTION("negative: a Contact sipresp cannot read as a binding leaves the meaning alone") {
        const std::string_view accepted = describe_status(200, "REGISTER").meaning;
        const Resp wildcard = redirect("SIP/2.0 200 OK", "Contact: *\nExpires: 0\n", "REGISTER");
        CHECK(wildcard.fires(RuleId::wildcard_contact_in_response));
        CHECK(wildcard.analysis.status.meaning == accepted);
        const Resp unreadable = redirect("SIP/2.0 200 OK", "Contact: <sip:u@192.0.2.5;expires=0\n", "REGISTER");
        CHECK(unreadable.analysis.status.meaning == accepted);
        std::string many;  // more Contacts than sipresp keeps: the ones left out may be live
        for (std::size_t i = 0; i <= kMaxTargets; ++i) many += "Contact: <sip:u@192.0.2.5>;expires=0\n";
        const Resp omitted = redirect("SIP/2.0 200 OK", many, "REGISTER");
        REQUIRE(omitted.analysis.targets_omitted > 0);
        CHECK(omitted.analysis.status.meaning == accepted);
    }
    SECTION("negative: other codes and methods keep their own meaning") {
        const Resp accepted = redirect("SIP/2.0 202 Accepted", "", "REGISTER");
        CHECK(accepted.analysis.status.meaning == describe_status(202, "REGISTER").meaning);
        for (const char* method : {"OPTIONS", "INVITE", "MESSAGE"}) {
            CAPTURE(method);
            const Resp r = redirect("SIP/2.0 200 OK", "Contact: <sip:u@192.0.2.5>;expires=0\n", method);
            CHECK(r.analysis.status.meaning == describe_status(200, method).meaning);
        }
        const Resp moved = redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:u@192.0.2.5>;expires=0\n",
                                    "REGISTER");
        CHECK(moved.analysis.status.meaning == describe_status(302, "REGISTER").meaning);
    }
}

// The tree shows a target's Cacheable line only where its Lifetime line,
// read alone, says otherwise: a lifetime above zero reads "cache it until
// then", none reads as no_lifetime_meaning puts it for the code.
TEST_CASE("what a Lifetime line says of caching, and where it is wrong", "[targets][lifetime]") {
    struct Case {
        const char* status;
        const char* expires;  // the Contact's parameter, or ""
        bool reads_cacheable;
        bool cacheable;
    };
    const Case cases[] = {
        {"SIP/2.0 300 Multiple Choices", "", false, false},
        {"SIP/2.0 300 Multiple Choices", ";expires=60", true, true},
        {"SIP/2.0 300 Multiple Choices", ";expires=0", false, false},
        {"SIP/2.0 301 Moved Permanently", "", true, true},  // permanent (21.3.2)
        {"SIP/2.0 301 Moved Permanently", ";expires=60", true, true},
        {"SIP/2.0 301 Moved Permanently", ";expires=0", false, false},
        {"SIP/2.0 302 Moved Temporarily", "", false, false},  // valid once (21.3.3)
        {"SIP/2.0 302 Moved Temporarily", ";expires=60", true, true},
        {"SIP/2.0 302 Moved Temporarily", ";expires=0", false, false},
        {"SIP/2.0 305 Use Proxy", "", false, false},
        {"SIP/2.0 305 Use Proxy", ";expires=60", true, false},  // this one request (21.3.4)
        {"SIP/2.0 305 Use Proxy", ";expires=0", false, false},
        {"SIP/2.0 380 Alternative Service", "", false, false},
        {"SIP/2.0 380 Alternative Service", ";expires=60", true, true},
    };
    for (const Case& c : cases) {
        const Resp r = redirect(c.status, std::string("Contact: <sip:a@192.0.2.1>") + c.expires + "\n");
        INFO(c.status << c.expires);
        REQUIRE(r.analysis.targets.size() == 1);
        const Target& t = r.analysis.targets[0];
        CHECK(lifetime_reads_cacheable(r.analysis.status.treated_as, t.lifetime) == c.reads_cacheable);
        CHECK(t.cacheable == c.cacheable);
    }
}

// ---- one positive and one negative case per rule of section 4 ----

TEST_CASE("redirect-without-contact", "[rule]") {
    CHECK(redirect("SIP/2.0 302 Moved Temporarily", "").fires(RuleId::redirect_without_contact));
    CHECK(redirect("SIP/2.0 300 Multiple Choices", "").fires(RuleId::redirect_without_contact));
    CHECK(redirect("SIP/2.0 301 Moved Permanently", "").fires(RuleId::redirect_without_contact));
    CHECK_FALSE(redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:a@192.0.2.1>\n")
                    .fires(RuleId::redirect_without_contact));
    CHECK_FALSE(redirect("SIP/2.0 380 Alternative Service", "").fires(RuleId::redirect_without_contact));
}

TEST_CASE("use-proxy-without-contact", "[rule]") {
    const Resp bad = redirect("SIP/2.0 305 Use Proxy", "");
    CHECK(bad.fires(RuleId::use_proxy_without_contact));
    CHECK_FALSE(bad.fires(RuleId::redirect_without_contact));
    CHECK_FALSE(redirect("SIP/2.0 305 Use Proxy", "Contact: <sip:proxy.example.com>\n")
                    .fires(RuleId::use_proxy_without_contact));
}

TEST_CASE("alternative-service-without-body", "[rule]") {
    CHECK(Resp(response("SIP/2.0 380 Alternative Service", "INVITE", ""))
              .fires(RuleId::alternative_service_without_body));
    CHECK_FALSE(Resp(response("SIP/2.0 380 Alternative Service", "INVITE", "Content-Type: text/plain\n",
                              "try voicemail"))
                    .fires(RuleId::alternative_service_without_body));
    // a body the capture cut off whole (a snapshot length that ends with
    // the header section) was sent all the same: Content-Length says so
    const std::string sent = response("SIP/2.0 380 Alternative Service", "INVITE", "Content-Type: text/plain\n",
                                      "try voicemail");
    const std::string kept = sent.substr(0, sent.find("\r\n\r\n") + 4);
    Message m;
    parse_message(kept, m, nullptr, true);
    REQUIRE(m.status == ParseStatus::complete);
    REQUIRE(m.body.empty());
    ResponseAnalysis a;
    analyse_response(m, a);
    CHECK_FALSE(sipresp::test::fires(a, RuleId::alternative_service_without_body));
    // while one sent without a body still fires when the capture was cut
    // (Content-Length: 0: nothing was lost)
    const std::string empty = response("SIP/2.0 380 Alternative Service", "INVITE", "");
    parse_message(empty, m, nullptr, true);
    REQUIRE(m.status == ParseStatus::complete);
    analyse_response(m, a);
    CHECK(sipresp::test::fires(a, RuleId::alternative_service_without_body));
}

TEST_CASE("wildcard-contact-in-response", "[rule]") {
    const Resp bad = Resp(response("SIP/2.0 200 OK", "REGISTER", "Contact: *\n"));
    CHECK(bad.fires(RuleId::wildcard_contact_in_response));
    CHECK_FALSE(Resp(response("SIP/2.0 200 OK", "REGISTER", "Contact: <sip:a@192.0.2.1>;expires=60\n"))
                    .fires(RuleId::wildcard_contact_in_response));
}

TEST_CASE("expires-malformed", "[rule]") {
    const Resp bad = redirect("SIP/2.0 302 Moved Temporarily",
                              "Contact: <sip:a@192.0.2.1>\nExpires: Thu, 01 Dec 1994 16:00:00 GMT\n");
    CHECK(bad.fires(RuleId::expires_malformed));
    CHECK(bad.analysis.targets[0].lifetime.seconds == 3600);
    CHECK(bad.analysis.targets[0].lifetime.malformed);
    CHECK_FALSE(redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:a@192.0.2.1>\nExpires: 3600\n")
                    .fires(RuleId::expires_malformed));
}

TEST_CASE("contact-expires-malformed", "[rule]") {
    const Resp bad = redirect("SIP/2.0 302 Moved Temporarily",
                              "Contact: <sip:a@192.0.2.1>;expires=\"Thu, 01 Dec 1994 16:00:00 GMT\"\n");
    CHECK(bad.fires(RuleId::contact_expires_malformed));
    CHECK(bad.analysis.targets[0].lifetime.seconds == 3600);
    CHECK(bad.analysis.findings[0].target == 0);
    CHECK_FALSE(redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:a@192.0.2.1>;expires=60\n")
                    .fires(RuleId::contact_expires_malformed));
}

TEST_CASE("expires-out-of-range", "[rule]") {
    CHECK(redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:a@192.0.2.1>;expires=4294967296\n")
              .fires(RuleId::expires_out_of_range));
    CHECK(redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:a@192.0.2.1>\nExpires: 5000000000\n")
              .fires(RuleId::expires_out_of_range));
    CHECK_FALSE(redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:a@192.0.2.1>;expires=4294967295\n")
                    .fires(RuleId::expires_out_of_range));
}

TEST_CASE("multiple-expires-headers", "[rule]") {
    const Resp bad = redirect("SIP/2.0 302 Moved Temporarily",
                              "Contact: <sip:a@192.0.2.1>\nExpires: 60\nExpires: 120\n");
    CHECK(bad.count(RuleId::multiple_expires_headers) == 1);
    CHECK(bad.analysis.targets[0].lifetime.seconds == 60);  // the first one counts
    CHECK_FALSE(redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:a@192.0.2.1>\nExpires: 60\n")
                    .fires(RuleId::multiple_expires_headers));
}

TEST_CASE("qvalue-malformed", "[rule]") {
    CHECK(redirect("SIP/2.0 300 Multiple Choices", "Contact: <sip:a@192.0.2.1>;q=1.5\n")
              .fires(RuleId::qvalue_malformed));
    CHECK(redirect("SIP/2.0 300 Multiple Choices", "Contact: <sip:a@192.0.2.1>;Q=0.1234\n")
              .fires(RuleId::qvalue_malformed));
    CHECK_FALSE(redirect("SIP/2.0 300 Multiple Choices", "Contact: <sip:a@192.0.2.1>;q=0.125\n")
                    .fires(RuleId::qvalue_malformed));
}

TEST_CASE("duplicate-target", "[rule]") {
    const Resp bad = redirect("SIP/2.0 300 Multiple Choices",
                              "Contact: <sip:bob@Example.COM>;q=0.5, <sip:bob@example.com;lr>;q=0.2\n");
    CHECK(bad.count(RuleId::duplicate_target) == 1);
    CHECK_FALSE(redirect("SIP/2.0 300 Multiple Choices",
                         "Contact: <sip:bob@example.com>, <sip:bob@example.com:5060>\n")
                    .fires(RuleId::duplicate_target));
    // one IPv6 address written two ways is one target (RFC 5954 4.2); its
    // IPv4-mapped form beside the IPv4 address is two
    CHECK(redirect("SIP/2.0 300 Multiple Choices",
                   "Contact: <sip:bob@[2001:db8::4]>, <sip:bob@[2001:DB8:0:0:0:0:0:04]>\n")
              .count(RuleId::duplicate_target) == 1);
    CHECK_FALSE(redirect("SIP/2.0 300 Multiple Choices",
                         "Contact: <sip:bob@[::ffff:192.0.2.4]>, <sip:bob@192.0.2.4>\n")
                    .fires(RuleId::duplicate_target));
    // a tel number written with and without separators is one target; an
    // extension, or a ported number's routing number, makes another (RFC
    // 3966 4: no tel parameter is ignored)
    CHECK(redirect("SIP/2.0 300 Multiple Choices", "Contact: <tel:+1-201-555-0123>, <tel:+12015550123>\n")
              .count(RuleId::duplicate_target) == 1);
    CHECK_FALSE(redirect("SIP/2.0 300 Multiple Choices", "Contact: <tel:+12015550123>, <tel:+12015550123;ext=22>\n")
                    .fires(RuleId::duplicate_target));
    CHECK_FALSE(redirect("SIP/2.0 300 Multiple Choices",
                         "Contact: <tel:+12015550123;npdi;rn=+12015559999>, <tel:+12015550123;npdi>\n")
                    .fires(RuleId::duplicate_target));
}

TEST_CASE("duplicate-target among many targets", "[rule]") {
    // past 16 targets each is prepared once for the pairwise comparison:
    // the same findings as a short list gets, on the same targets
    std::string contacts;
    for (int i = 0; i < 30; ++i) {
        if (i != 0) contacts += ", ";
        contacts += "<sip:bob@192.0.2.4;p1=v;p2=v;x=" + std::to_string(i) + ">";
    }
    const std::string distinct = "Contact: " + contacts + "\n";
    CHECK_FALSE(redirect("SIP/2.0 300 Multiple Choices", distinct).fires(RuleId::duplicate_target));
    // target 31 is target 4 with its parameters in another order and case;
    // target 32 is target 8 at another host: no duplicate
    const Resp bad = redirect("SIP/2.0 300 Multiple Choices",
                              "Contact: " + contacts + ", <sip:bob@192.0.2.4;X=3;P2=v;p1=v>, <sip:bob@192.0.2.5;p1=v;p2=v;x=7>\n");
    REQUIRE(bad.analysis.targets.size() == 32);
    REQUIRE(bad.count(RuleId::duplicate_target) == 1);
    for (const Finding& f : bad.analysis.findings)
        if (f.rule == RuleId::duplicate_target) CHECK(f.target == 30);
    // a strict parameter in one only (user, 19.1.4) makes another target
    CHECK_FALSE(redirect("SIP/2.0 300 Multiple Choices",
                         "Contact: " + contacts + ", <sip:bob@192.0.2.4;p1=v;p2=v;x=3;user=ip>\n")
                    .fires(RuleId::duplicate_target));
}

TEST_CASE("duplicate-target among a few targets with long parameter lists", "[rule]") {
    // each target whose list is long is prepared once, however few the
    // targets: the findings are those of the plain comparison
    const std::string forward = tools::numbered_parameters(40, false), backward = tools::numbered_parameters(40, true);
    const std::string first = "<sip:bob@192.0.2.4;" + forward + ";x=0>", second = "<sip:bob@192.0.2.4;" + forward + ";x=1>";
    CHECK_FALSE(redirect("SIP/2.0 300 Multiple Choices", "Contact: " + first + ", " + second + "\n")
                    .fires(RuleId::duplicate_target));
    // the third is the first, its parameters in reverse order and its x's name escaped
    const Resp bad = redirect("SIP/2.0 300 Multiple Choices",
                              "Contact: " + first + ", " + second + ", <sip:bob@192.0.2.4;%58=0;" + backward + ">\n");
    REQUIRE(bad.count(RuleId::duplicate_target) == 1);
    for (const Finding& f : bad.analysis.findings)
        if (f.rule == RuleId::duplicate_target) CHECK(f.target == 2);
    // a long list beside a short one, and a strict parameter in one only
    CHECK(redirect("SIP/2.0 300 Multiple Choices", "Contact: <sip:bob@192.0.2.4;x=0>, " + first + "\n")
              .count(RuleId::duplicate_target) == 1);
    CHECK_FALSE(redirect("SIP/2.0 300 Multiple Choices",
                         "Contact: " + first + ", <sip:bob@192.0.2.4;user=ip;" + backward + ";x=0>\n")
                    .fires(RuleId::duplicate_target));
}

TEST_CASE("redirect-zero-lifetime", "[rule]") {
    CHECK(redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:a@192.0.2.1>;expires=0\n")
              .fires(RuleId::redirect_zero_lifetime));
    CHECK(redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:a@192.0.2.1>\nExpires: 0\n")
              .fires(RuleId::redirect_zero_lifetime));
    CHECK_FALSE(redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:a@192.0.2.1>\n")
                    .fires(RuleId::redirect_zero_lifetime));
    CHECK_FALSE(Resp(response("SIP/2.0 200 OK", "REGISTER", "Contact: <sip:a@192.0.2.1>;expires=0\n"))
                    .fires(RuleId::redirect_zero_lifetime));
}

TEST_CASE("unregistered-status-code", "[rule]") {
    const Resp bad = redirect("SIP/2.0 399 Whatever", "Contact: <sip:a@192.0.2.1>\n");
    CHECK(bad.fires(RuleId::unregistered_status_code));
    CHECK(bad.analysis.status.treated_as == 300);
    CHECK_FALSE(redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:a@192.0.2.1>\n")
                    .fires(RuleId::unregistered_status_code));
}

TEST_CASE("uri-headers-outside-redirect", "[rule]") {
    CHECK(Resp(response("SIP/2.0 200 OK", "INVITE", "Contact: <sip:bob@192.0.2.4?Subject=x>\n"))
              .fires(RuleId::uri_headers_outside_redirect));
    CHECK(Resp(response("SIP/2.0 200 OK", "INVITE", "Contact: <sip:bob@192.0.2.4;method=INVITE>\n"))
              .fires(RuleId::uri_headers_outside_redirect));
    CHECK_FALSE(Resp(response("SIP/2.0 200 OK", "INVITE", "Contact: <sip:bob@192.0.2.4;transport=tcp>\n"))
                    .fires(RuleId::uri_headers_outside_redirect));
}

TEST_CASE("dialog-2xx-without-contact", "[rule]") {
    CHECK(Resp(response("SIP/2.0 200 OK", "INVITE", "")).fires(RuleId::dialog_2xx_without_contact));
    CHECK(Resp(response("SIP/2.0 200 OK", "SUBSCRIBE", "Expires: 60\n")).fires(RuleId::dialog_2xx_without_contact));
    // A REFER opens a dialog only when sent outside one (RFC 3515 2), which
    // its request says and its response does not: alone, a 2xx to REFER
    // owes nothing (test_request_rules.cpp has the REFER cases)
    CHECK_FALSE(Resp(response("SIP/2.0 202 Accepted", "REFER", "")).fires(RuleId::dialog_2xx_without_contact));
    CHECK_FALSE(Resp(response("SIP/2.0 200 OK", "BYE", "")).fires(RuleId::dialog_2xx_without_contact));
    CHECK_FALSE(Resp(response("SIP/2.0 200 OK", "INVITE", "Contact: <sip:bob@192.0.2.4>\n"))
                    .fires(RuleId::dialog_2xx_without_contact));
}

TEST_CASE("dialog-2xx-contact-count", "[rule]") {
    CHECK(Resp(response("SIP/2.0 200 OK", "INVITE", "Contact: <sip:bob@192.0.2.4>, <sip:bob@192.0.2.5>\n"))
              .fires(RuleId::dialog_2xx_contact_count));
    CHECK(Resp(response("SIP/2.0 200 OK", "INVITE", "Contact: <sip:bob@192.0.2.4>\nm: <sip:bob@192.0.2.5>\n"))
              .fires(RuleId::dialog_2xx_contact_count));
    CHECK_FALSE(Resp(response("SIP/2.0 200 OK", "INVITE", "Contact: <sip:bob@192.0.2.4>\n"))
                    .fires(RuleId::dialog_2xx_contact_count));
    CHECK_FALSE(Resp(response("SIP/2.0 200 OK", "REGISTER",
                              "Contact: <sip:a@192.0.2.4>;expires=60, <sip:b@192.0.2.5>;expires=60\n"))
                    .fires(RuleId::dialog_2xx_contact_count));
}

TEST_CASE("dialog-2xx-contact-scheme", "[rule]") {
    CHECK(Resp(response("SIP/2.0 200 OK", "INVITE", "Contact: <tel:+12015550123>\n"))
              .fires(RuleId::dialog_2xx_contact_scheme));
    CHECK_FALSE(Resp(response("SIP/2.0 200 OK", "INVITE", "Contact: <sips:bob@192.0.2.4>\n"))
                    .fires(RuleId::dialog_2xx_contact_scheme));
}

TEST_CASE("register-binding-without-expires", "[rule]") {
    const Resp bad = Resp(response("SIP/2.0 200 OK", "REGISTER",
                                   "Contact: <sip:a@192.0.2.4>;expires=60, <sip:b@192.0.2.5>\nExpires: 60\n"));
    CHECK(bad.count(RuleId::register_binding_without_expires) == 1);
    CHECK_FALSE(Resp(response("SIP/2.0 200 OK", "REGISTER", "Contact: <sip:a@192.0.2.4>;EXPIRES=60\n"))
                    .fires(RuleId::register_binding_without_expires));
    // a query answered with no bindings lists no Contacts: nothing to flag
    CHECK_FALSE(Resp(response("SIP/2.0 200 OK", "REGISTER", "")).fires(RuleId::register_binding_without_expires));
}

TEST_CASE("response-to-ack", "[rule]") {
    CHECK(Resp(response("SIP/2.0 200 OK", "ACK", "")).fires(RuleId::response_to_ack));
    CHECK_FALSE(Resp(response("SIP/2.0 200 OK", "BYE", "")).fires(RuleId::response_to_ack));
}

TEST_CASE("redirect-of-cancel", "[rule]") {
    CHECK(redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:a@192.0.2.1>\n", "CANCEL")
              .fires(RuleId::redirect_of_cancel));
    CHECK_FALSE(Resp(response("SIP/2.0 200 OK", "CANCEL", "")).fires(RuleId::redirect_of_cancel));
}

TEST_CASE("no-notification-misuse", "[rule]") {
    CHECK(Resp(response("SIP/2.0 204 No Notification", "PUBLISH", "")).fires(RuleId::no_notification_misuse));
    CHECK_FALSE(Resp(response("SIP/2.0 204 No Notification", "SUBSCRIBE", "Contact: <sip:n@192.0.2.9>\n"))
                    .fires(RuleId::no_notification_misuse));
}

TEST_CASE("accepted-deprecated", "[rule]") {
    CHECK(Resp(response("SIP/2.0 202 Accepted", "SUBSCRIBE", "Contact: <sip:n@192.0.2.9>\n"))
              .fires(RuleId::accepted_deprecated));
    CHECK_FALSE(Resp(response("SIP/2.0 202 Accepted", "REFER", "Contact: <sip:n@192.0.2.9>\n"))
                    .fires(RuleId::accepted_deprecated));
}

TEST_CASE("a clean 302 and a clean 200 raise nothing", "[rule]") {
    CHECK(redirect("SIP/2.0 302 Moved Temporarily",
                   "Contact: \"Bob\" <sip:bob@192.0.2.4>;q=0.7;expires=3600, <sip:bob@198.51.100.9>;q=0.1\n")
              .analysis.findings.empty());
    CHECK(Resp(response("SIP/2.0 200 OK", "INVITE", "Contact: <sip:bob@192.0.2.4:5060;transport=udp>\n"))
              .analysis.findings.empty());
}

TEST_CASE("an unreadable Contact is reported on its target, not as a rule", "[targets]") {
    const Resp r = redirect("SIP/2.0 302 Moved Temporarily", "Contact: <sip:a@192.0.2.1\n");
    REQUIRE(r.analysis.targets.size() == 1);
    CHECK_FALSE(r.analysis.targets[0].contact.valid);
    CHECK(r.analysis.targets[0].contact.error != nullptr);
}

TEST_CASE("more Contacts than kMaxTargets are counted, not analysed", "[targets]") {
    std::string contacts = "Contact: ";
    for (std::size_t i = 0; i < kMaxTargets + 10; ++i)
        contacts += (i ? ", " : "") + std::string("<sip:u") + std::to_string(i) + "@192.0.2.1>";
    const Resp r = redirect("SIP/2.0 300 Multiple Choices", contacts + "\n");
    CHECK(r.analysis.targets.size() == kMaxTargets);
    CHECK(r.analysis.targets_omitted == 10);
}

// Hostile sizes (issue 7): the answers stay right and bounded.
TEST_CASE("ten thousand Contacts: 256 analysed, the rest counted", "[targets][limits]") {
    std::string contacts = "Contact: ";
    for (int i = 0; i < 10000; ++i)
        contacts += (i ? ", " : "") + std::string("<sip:bob@192.0.2.4>");  // all duplicates
    const Resp r = redirect("SIP/2.0 300 Multiple Choices", contacts + "\n");
    CHECK(r.analysis.targets.size() == kMaxTargets);
    CHECK(r.analysis.targets_omitted == 10000 - kMaxTargets);
    // duplicate-target fires for the analysed ones only
    std::size_t duplicates = 0;
    for (const Finding& f : r.analysis.findings) duplicates += f.rule == RuleId::duplicate_target;
    CHECK(duplicates == kMaxTargets - 1);
}

TEST_CASE("a 64 KiB header line and a 64 KiB Contact URI are read whole", "[targets][limits]") {
    const std::string user(65536, 'u');
    const Resp r = redirect("SIP/2.0 302 Moved Temporarily",
                            "Subject: " + std::string(65536, 's') + "\nContact: <sip:" + user + "@192.0.2.4>;expires=60\n");
    REQUIRE(r.analysis.targets.size() == 1);
    CHECK(r.analysis.targets[0].contact.valid);
    CHECK(r.analysis.targets[0].contact.uri.user.size() == 65536);
    CHECK(r.analysis.targets[0].lifetime.seconds == 60);
}

TEST_CASE("a display name of ten thousand escaped quotes is one display name", "[targets][limits]") {
    std::string display = "\"";
    for (int i = 0; i < 10000; ++i) display += "\\\"";
    display += "\"";
    const Resp r = redirect("SIP/2.0 302 Moved Temporarily", "Contact: " + display + " <sip:bob@192.0.2.4>;q=0.5\n");
    REQUIRE(r.analysis.targets.size() == 1);
    CHECK(r.analysis.targets[0].contact.valid);
    CHECK(r.analysis.targets[0].contact.display_name() == std::string(10000, '"'));
    CHECK(r.analysis.targets[0].q.thousandths == 500);
}

TEST_CASE("a caller that read the CSeq already gets the same analysis", "[rule]") {
    // the tracker reads the CSeq before the analysis (for its transaction
    // key) and hands it over; the rules that hang on the method must not see
    // a difference
    for (const char* method : {"INVITE", "BYE", "SUBSCRIBE"}) {
        const Resp alone(response("SIP/2.0 200 OK", method, ""));
        ResponseAnalysis given;
        analyse_response(alone.message, parse_cseq(alone.message), given);
        CHECK(given.cseq.method == method);
        CHECK(given.status.meaning == alone.analysis.status.meaning);
        REQUIRE(given.findings.size() == alone.analysis.findings.size());
        for (std::size_t i = 0; i < given.findings.size(); ++i) CHECK(given.findings[i].rule == alone.analysis.findings[i].rule);
        // a 200 to INVITE or SUBSCRIBE without Contact opens a dialog it cannot reach
        CHECK(sipresp::test::fires(given, RuleId::dialog_2xx_without_contact) == (std::string_view(method) != "BYE"));
    }
}
