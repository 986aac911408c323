// RULES.md section 5: rules that need the request, driven through the
// tracker as the plugin drives it (request frame, then response frame).
#include "catch.h"

#include "numbered_parameters.h"
#include "response_title.h"
#include "sip_text.h"

using namespace sipresp;
using sipresp::test::crlf;
using sipresp::test::response;
using sipresp::tools::numbered_parameters;

namespace {

std::string request(std::string_view method, std::string_view ruri, std::string_view extra,
                    std::string_view to_tag = "") {
    std::string text(method);
    text += " ";
    text += ruri;
    text += " SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa1\n"
            "From: <sip:alice@example.com>;tag=f1\nTo: <sip:bob@example.com>";
    if (!to_tag.empty()) text += ";tag=" + std::string(to_tag);
    text += "\nCall-ID: c1@192.0.2.1\nCSeq: 1 " + std::string(method) + "\n";
    text += extra;
    text += "Content-Length: 0\n\n";
    return crlf(text);
}

// The summary of a request's bytes, which must outlive it.
RequestSummary summary_of(const std::string& text) {
    Message m;
    parse_message(text, m);
    REQUIRE(m.status == ParseStatus::complete);
    return summarize_request(m);
}

// Feeds the request (frame 1, t=10 s) and the response (frame 2, t=10.25 s);
// returns whether `id` fired on the response.
bool fires_after(const std::string& req, const std::string& resp, RuleId id) {
    CaptureTracker tracker;
    tracker.observe({1, 0, 10'000'000'000, true}, req);
    const MessageReport& r = tracker.observe({2, 0, 10'250'000'000, true}, resp);
    REQUIRE(r.analysed);
    REQUIRE(r.request != nullptr);
    return sipresp::test::fires(r.analysis, id);
}

// What the response means, and where that is said, once the tracker has
// seen its request (frame 1) and then it (frame 2).
struct Meaning {
    std::string text;
    std::string reference;
};
Meaning meaning_after(const std::string& req, const std::string& resp) {
    CaptureTracker tracker;
    tracker.observe({1, 0, 10'000'000'000, true}, req);
    const MessageReport& r = tracker.observe({2, 0, 10'250'000'000, true}, resp);
    REQUIRE(r.request != nullptr);
    return Meaning{std::string(r.analysis.status.meaning), std::string(r.analysis.status.reference)};
}

}  // namespace

TEST_CASE("redirect-loop", "[rule]") {
    const std::string req = request("INVITE", "sip:bob@example.com", "Contact: <sip:alice@192.0.2.1>\n");
    CHECK(fires_after(req, response("SIP/2.0 302 Moved Temporarily", "INVITE", "Contact: <sip:BOB@example.com>\n"),
                      RuleId::redirect_loop) == false);  // user part is case-sensitive: not the same URI
    CHECK(fires_after(req, response("SIP/2.0 302 Moved Temporarily", "INVITE", "Contact: <sip:bob@EXAMPLE.com>\n"),
                      RuleId::redirect_loop));
    CHECK_FALSE(fires_after(req, response("SIP/2.0 302 Moved Temporarily", "INVITE", "Contact: <sip:bob@192.0.2.4>\n"),
                            RuleId::redirect_loop));
    // a request built from this target goes to the same Request-URI: the
    // headers travel as header fields (19.1.5)
    CHECK(fires_after(req, response("SIP/2.0 302 Moved Temporarily", "INVITE",
                                    "Contact: <sip:bob@example.com?Subject=again>\n"),
                      RuleId::redirect_loop));
    CHECK_FALSE(fires_after(req, response("SIP/2.0 302 Moved Temporarily", "INVITE",
                                          "Contact: <sip:bob@example.com:5070?Subject=again>\n"),
                            RuleId::redirect_loop));
}

TEST_CASE("redirect-loop with a long Request-URI: each target judged as it would be alone", "[rule]") {
    // Up to 256 targets are compared with the Request-URI, which is read
    // once for all of them when its list is long. 19.1.4: a parameter only
    // one side has is ignored unless strict; one in both must match.
    const std::string forward = numbered_parameters(40, false), backward = numbered_parameters(40, true);
    const std::string req = request("INVITE", "sip:bob@example.com;" + forward, "Contact: <sip:alice@192.0.2.1>\n");
    const std::string contacts = "Contact: <sip:bob@example.com;p7=other>, <sip:bob@example.com;" + backward +
                                 ">, <sip:bob@example.com;maddr=192.0.2.9>, <sip:bob@example.com>, "
                                 "<sip:bob@example.com;method=INVITE?Subject=again>, <sip:bob@example.net;" +
                                 forward + ">\n";
    CaptureTracker tracker;
    tracker.observe({1, 0, 10'000'000'000, true}, req);
    const MessageReport& r = tracker.observe({2, 0, 10'250'000'000, true}, response("SIP/2.0 302 Moved Temporarily", "INVITE", contacts));
    REQUIRE(r.analysed);
    REQUIRE(r.analysis.targets.size() == 6);
    std::vector<std::int32_t> looped;
    for (const Finding& f : r.analysis.findings)
        if (f.rule == RuleId::redirect_loop) looped.push_back(f.target);
    // the same list in another order, none at all, and a method parameter
    // and headers a Request-URI never carries (19.1.1) name the request's URI
    CHECK(looped == std::vector<std::int32_t>{1, 3, 4});
}

TEST_CASE("sips-downgrade", "[rule]") {
    const std::string req = request("INVITE", "sips:bob@example.com", "Contact: <sips:alice@192.0.2.1>\n");
    CHECK(fires_after(req, response("SIP/2.0 302 Moved Temporarily", "INVITE", "Contact: <sip:bob@192.0.2.4>\n"),
                      RuleId::sips_downgrade));
    CHECK_FALSE(fires_after(req, response("SIP/2.0 302 Moved Temporarily", "INVITE", "Contact: <sips:bob@192.0.2.4>\n"),
                            RuleId::sips_downgrade));
    const std::string plain = request("INVITE", "sip:bob@example.com", "Contact: <sip:alice@192.0.2.1>\n");
    CHECK_FALSE(fires_after(plain, response("SIP/2.0 302 Moved Temporarily", "INVITE", "Contact: <sip:bob@192.0.2.4>\n"),
                            RuleId::sips_downgrade));
}

TEST_CASE("dialog-2xx-sips-required", "[rule]") {
    const std::string sips_ruri = request("INVITE", "sips:bob@example.com", "Contact: <sips:alice@192.0.2.1>\n");
    CHECK(fires_after(sips_ruri, response("SIP/2.0 200 OK", "INVITE", "Contact: <sip:bob@192.0.2.4>\n"),
                      RuleId::dialog_2xx_sips_required));
    CHECK_FALSE(fires_after(sips_ruri, response("SIP/2.0 200 OK", "INVITE", "Contact: <sips:bob@192.0.2.4>\n"),
                            RuleId::dialog_2xx_sips_required));
    SECTION("the top Record-Route counts when there is one") {
        const std::string rr = request("INVITE", "sip:bob@example.com",
                                       "Record-Route: <sips:p1.example.com;lr>, <sip:p2.example.com;lr>\n"
                                       "Contact: <sip:alice@192.0.2.1>\n");
        CHECK(fires_after(rr, response("SIP/2.0 200 OK", "INVITE", "Contact: <sip:bob@192.0.2.4>\n"),
                          RuleId::dialog_2xx_sips_required));
        const std::string rr_plain = request("INVITE", "sip:bob@example.com",
                                             "Record-Route: <sip:p1.example.com;lr>\n"
                                             "Contact: <sips:alice@192.0.2.1>\n");
        CHECK_FALSE(fires_after(rr_plain, response("SIP/2.0 200 OK", "INVITE", "Contact: <sip:bob@192.0.2.4>\n"),
                                RuleId::dialog_2xx_sips_required));
    }
    SECTION("the Contact counts when there is no Record-Route") {
        const std::string contact = request("SUBSCRIBE", "sip:bob@example.com", "Contact: <sips:alice@192.0.2.1>\n");
        CHECK(fires_after(contact, response("SIP/2.0 200 OK", "SUBSCRIBE", "Contact: <sip:bob@192.0.2.4>\nExpires: 60\n"),
                          RuleId::dialog_2xx_sips_required));
    }
    SECTION("a request inside a dialog does not create one") {
        const std::string in_dialog = request("INVITE", "sips:bob@example.com", "Contact: <sips:alice@192.0.2.1>\n", "t1");
        CHECK_FALSE(fires_after(in_dialog, response("SIP/2.0 200 OK", "INVITE", "Contact: <sip:bob@192.0.2.4>\n"),
                                RuleId::dialog_2xx_sips_required));
    }
}

TEST_CASE("a request's SIPS needs are worked out only for requests that create a dialog", "[rule]") {
    const auto needs_sips = [](const std::string& text) { return summary_of(text).dialog_needs_sips; };
    CHECK(needs_sips(request("INVITE", "sips:bob@example.com", "")));
    CHECK(needs_sips(request("REFER", "sip:bob@example.com", "Contact: <sips:alice@192.0.2.1>\n")));
    // nothing judges these by it (their 2xx do not create a dialog)
    CHECK_FALSE(needs_sips(request("BYE", "sips:bob@example.com", "", "t1")));
    CHECK_FALSE(needs_sips(request("OPTIONS", "sips:bob@example.com", "")));
    CHECK_FALSE(needs_sips(request("INVITE", "sips:bob@example.com", "", "t1")));
}

TEST_CASE("a request is inside a dialog when its To has a tag parameter, and only then", "[rule]") {
    const auto to_tagged = [](std::string_view to) {
        // the message's views point into these bytes: they must outlive it
        const std::string bytes = crlf("BYE sip:bob@192.0.2.4 SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKb1\n"
                                       "From: <sip:alice@example.com>;tag=f1\nTo: " + std::string(to) +
                                       "\nCall-ID: c1\nCSeq: 2 BYE\nContent-Length: 0\n\n");
        Message m;
        parse_message(bytes, m);
        REQUIRE(m.status == ParseStatus::complete);
        return summarize_request(m).to_tag;
    };
    CHECK_FALSE(to_tagged("<sip:bob@example.com>"));  // no ';' at all
    CHECK(to_tagged("<sip:bob@example.com>;tag=t1"));
    CHECK(to_tagged("sip:bob@example.com ; TAG = t1"));  // addr-spec: the parameter is the header's (20.10)
    // a ';' elsewhere is not a tag: URI parameters, another header parameter,
    // the display name
    CHECK_FALSE(to_tagged("<sip:bob@example.com;tag=t1>"));
    CHECK_FALSE(to_tagged("<sip:bob@example.com>;tagged=no"));
    CHECK_FALSE(to_tagged("\"Bob;tag=x\" <sip:bob@example.com>"));
    CHECK(to_tagged("\"Bob;x\" <sip:bob@example.com;lr>;tag=t2"));
}

TEST_CASE("no-notification-out-of-dialog", "[rule]") {
    const std::string initial = request("SUBSCRIBE", "sip:bob@example.com", "Contact: <sip:alice@192.0.2.1>\n");
    const std::string refresh = request("SUBSCRIBE", "sip:bob@example.com", "Contact: <sip:alice@192.0.2.1>\n", "t1");
    const std::string resp = response("SIP/2.0 204 No Notification", "SUBSCRIBE", "Contact: <sip:bob@192.0.2.4>\n");
    CHECK(fires_after(initial, resp, RuleId::no_notification_out_of_dialog));
    CHECK_FALSE(fires_after(refresh, resp, RuleId::no_notification_out_of_dialog));
}

// dialog-2xx-without-contact is judged from the response alone (RULES.md
// section 4), but where the request is in the capture it can tell a REFER
// that opens a dialog from one sent inside a call. RFC 3515 2 answers a
// REFER as a BYE unless it says otherwise, and only one outside a dialog
// creates one (12.1.1 asks a Contact of a response that does): a 202 to a
// blind transfer's REFER, as Linphone sends it, has none and breaks nothing.
TEST_CASE("dialog-2xx-without-contact: a REFER inside a dialog opens none", "[rule]") {
    const std::string accepted = response("SIP/2.0 202 Accepted", "REFER", "");
    const std::string transfer = request("REFER", "sip:bob@192.0.2.4", "Refer-To: <sip:carol@example.com>\n", "t1");
    const std::string out_of_dialog = request("REFER", "sip:bob@example.com",
                                              "Refer-To: <sip:carol@example.com>\nContact: <sip:alice@192.0.2.1>\n");
    CHECK_FALSE(fires_after(transfer, accepted, RuleId::dialog_2xx_without_contact));
    CHECK(fires_after(out_of_dialog, accepted, RuleId::dialog_2xx_without_contact));
    // a Contact the 202 does carry is still judged by the other Contact rules
    CHECK(fires_after(transfer, response("SIP/2.0 202 Accepted", "REFER", "Contact: <tel:+15551234567>\n"),
                      RuleId::dialog_2xx_contact_scheme));
    // a re-INVITE stays judged: its 2xx still answers an INVITE (13.3.1.4)
    const std::string reinvite = request("INVITE", "sip:bob@192.0.2.4", "Contact: <sip:alice@192.0.2.1>\n", "t1");
    CHECK(fires_after(reinvite, response("SIP/2.0 200 OK", "INVITE", ""), RuleId::dialog_2xx_without_contact));

    const auto title_after = [&](const std::string* req) {
        CaptureTracker tracker;
        if (req) tracker.observe({1, 0, 10'000'000'000, true}, *req);
        const MessageReport& r = tracker.observe({2, 0, 10'250'000'000, true}, accepted);
        REQUIRE((r.request != nullptr) == (req != nullptr));
        char room[100];
        TextBuffer title(room, sizeof room);
        write_response_title(r.analysis, title);
        return std::string(title.c_str());
    };
    SECTION("the title asks for a Contact only where one was due") {
        CHECK(title_after(&transfer) == "202 Accepted to REFER");
        CHECK(title_after(&out_of_dialog) == "202 Accepted to REFER, no Contact");
    }
    SECTION("without its REFER a 2xx cannot be said to owe a Contact") {
        // (a capture that missed the REFER, or calls not tracked): a blind
        // transfer's 202 is the common case, and it breaks nothing
        CHECK(title_after(nullptr) == "202 Accepted to REFER");
        CaptureTracker tracker;
        const MessageReport& r = tracker.observe({2, 0, 10'250'000'000, true}, accepted);
        REQUIRE(r.analysed);
        CHECK_FALSE(sipresp::test::fires(r.analysis, RuleId::dialog_2xx_without_contact));
    }
}

TEST_CASE("a SUBSCRIBE or PUBLISH asks for 0 s only with a readable Expires: 0", "[codes]") {
    const auto asks_no_time = [](const std::string& text) { return summary_of(text).asks_no_time; };
    // an unsubscribe (inside the dialog), a fetch (outside one), a removal
    CHECK(asks_no_time(request("SUBSCRIBE", "sip:bob@192.0.2.4", "Event: presence\nExpires: 0\n", "t1")));
    CHECK(asks_no_time(request("SUBSCRIBE", "sip:bob@example.com", "Event: presence\nExpires: 0\n")));
    CHECK(asks_no_time(request("PUBLISH", "sip:alice@example.com", "Event: presence\nExpires: 0\n")));
    CHECK(asks_no_time(request("SUBSCRIBE", "sip:bob@example.com", "Event: presence\nExpires: 000\n")));  // 1*DIGIT
    CHECK_FALSE(asks_no_time(request("SUBSCRIBE", "sip:bob@example.com", "Event: presence\nExpires: 600\n")));
    CHECK_FALSE(asks_no_time(request("SUBSCRIBE", "sip:bob@example.com", "Event: presence\n")));
    CHECK_FALSE(asks_no_time(request("SUBSCRIBE", "sip:bob@example.com", "Event: presence\nExpires: never\n")));
    // only the first Expires counts, as for a response's (20.19)
    CHECK_FALSE(asks_no_time(request("PUBLISH", "sip:alice@example.com", "Expires: 60\nExpires: 0\n")));
    // other methods' Expires: 0 ends no subscription or publication: a
    // REGISTER's removes bindings, which its 200 lists (10.3)
    CHECK_FALSE(asks_no_time(request("REGISTER", "sip:example.com", "Contact: <sip:alice@192.0.2.1>\nExpires: 0\n")));
    CHECK_FALSE(asks_no_time(request("INVITE", "sip:bob@example.com", "Expires: 0\n")));
}

// What a 2xx means when its request asked for 0 s: the subscription ends
// (an unsubscribe or a one-time fetch, RFC 6665 4.1.2.3), the published
// state is removed (RFC 3903 4.5). Linphone answers its unsubscribe with a
// 200 that has no Expires, so there only the request tells.
TEST_CASE("a 2xx to a SUBSCRIBE or PUBLISH that asked for 0 s means it ended", "[codes]") {
    const std::string unsubscribe =
        request("SUBSCRIBE", "sip:bob@192.0.2.4", "Event: presence\nExpires: 0\nContact: <sip:alice@192.0.2.1>\n", "t1");
    const std::string ok_no_expires = response("SIP/2.0 200 OK", "SUBSCRIBE", "Contact: <sip:bob@192.0.2.4>\n");
    const std::string accepted = std::string(describe_status(200, "SUBSCRIBE").meaning);

    SECTION("an unsubscribe's 200 without Expires: the request's 0 s") {
        const Meaning m = meaning_after(unsubscribe, ok_no_expires);
        CHECK(m.reference == "RFC 6665 4.1.2.3");
        CHECK(m.text.find("subscription ends") != std::string::npos);
        CHECK(m.text.find("asked for 0 s") != std::string::npos);
        CHECK(m.text.find("granted") == std::string::npos);  // the 200 granted nothing
    }
    SECTION("a fetch outside a dialog ends the same way") {
        const std::string fetch = request("SUBSCRIBE", "sip:bob@example.com",
                                          "Event: presence\nExpires: 0\nContact: <sip:alice@192.0.2.1>\n");
        CHECK(meaning_after(fetch, ok_no_expires).reference == "RFC 6665 4.1.2.3");
    }
    SECTION("a removal of published state") {
        const Meaning m = meaning_after(
            request("PUBLISH", "sip:alice@example.com", "Event: presence\nSIP-If-Match: e1\nExpires: 0\n"),
            response("SIP/2.0 200 OK", "PUBLISH", "SIP-ETag: e1\n"));
        CHECK(m.reference == "RFC 3903 4.5");
        CHECK(m.text.find("removed") != std::string::npos);
    }
    SECTION("a 200 that grants 0 s itself says so, whatever the request asked") {
        const Meaning m = meaning_after(unsubscribe, response("SIP/2.0 200 OK", "SUBSCRIBE",
                                                              "Contact: <sip:bob@192.0.2.4>\nExpires: 0\n"));
        CHECK(m.reference == "RFC 6665 4.1.2.3");
        CHECK(m.text.find("0 s granted") != std::string::npos);
    }
    SECTION("negative: a request that asked for time, or said nothing") {
        for (const char* expires : {"Expires: 600\n", ""}) {
            CAPTURE(expires);
            const std::string subscribe = request("SUBSCRIBE", "sip:bob@example.com",
                                                  std::string("Event: presence\nContact: <sip:alice@192.0.2.1>\n") +
                                                      expires);
            CHECK(meaning_after(subscribe, ok_no_expires).text == accepted);
        }
    }
    SECTION("negative: the response's own Expires stands over the request's") {
        const Meaning m = meaning_after(unsubscribe, response("SIP/2.0 200 OK", "SUBSCRIBE",
                                                              "Contact: <sip:bob@192.0.2.4>\nExpires: 60\n"));
        CHECK(m.text == accepted);
    }
    SECTION("negative: a 202 keeps its meaning, a REGISTER's 0 s removes bindings") {
        CHECK(meaning_after(unsubscribe, response("SIP/2.0 202 Accepted", "SUBSCRIBE", "Contact: <sip:bob@192.0.2.4>\n"))
                  .text == describe_status(202, "SUBSCRIBE").meaning);
        // what a registrar's 200 means comes from the bindings it lists
        // (10.3 step 8): here another device's is left, whatever was asked
        CHECK(meaning_after(request("REGISTER", "sip:example.com", "Contact: <sip:alice@192.0.2.1>\nExpires: 0\n"),
                            response("SIP/2.0 200 OK", "REGISTER", "Contact: <sip:alice@192.0.2.7>;expires=1800\n"))
                  .text == describe_status(200, "REGISTER").meaning);
    }
}

// A REGISTER with no Contact header changes no binding; it asks the
// registrar for the list it holds (RFC 3261 10.2.3). A Contact: * with
// Expires: 0 removes them all (10.2.2): not a query.
TEST_CASE("a REGISTER without a Contact header queries the bindings", "[codes]") {
    const auto queries = [](const std::string& text) { return summary_of(text).queries_bindings; };
    CHECK(queries(request("REGISTER", "sip:example.com", "")));
    CHECK(queries(request("REGISTER", "sip:example.com", "Expires: 3600\nUser-Agent: phone\n")));
    CHECK_FALSE(queries(request("REGISTER", "sip:example.com", "Contact: <sip:alice@192.0.2.1>\n")));
    CHECK_FALSE(queries(request("REGISTER", "sip:example.com", "m: <sip:alice@192.0.2.1>\n")));  // compact form (7.3.3)
    CHECK_FALSE(queries(request("REGISTER", "sip:example.com", "Contact: *\nExpires: 0\n")));
    // a Contact after a long run of other header lines is still found
    std::string many;
    for (int i = 0; i < 40; ++i) many += "X-Pad-" + std::to_string(i) + ": v\n";
    CHECK_FALSE(queries(request("REGISTER", "sip:example.com", many + "Contact: <sip:alice@192.0.2.1>\n")));
    // other methods without Contact query nothing
    CHECK_FALSE(queries(request("OPTIONS", "sip:bob@example.com", "")));
    CHECK_FALSE(queries(request("MESSAGE", "sip:bob@example.com", "")));
}

// The 200 to a query lists the bindings as any registrar's 200 does (10.3
// step 8), but nothing was accepted: it says it answers a query.
TEST_CASE("a 200 to a registration query says it answers a query", "[codes]") {
    const auto meaning_alone = [](const std::string& resp) {
        CaptureTracker tracker;
        const MessageReport& r = tracker.observe({2, 0, 10'250'000'000, true}, resp);
        REQUIRE(r.analysed);
        REQUIRE(r.request == nullptr);
        return std::string(r.analysis.status.meaning);
    };
    const std::string query = request("REGISTER", "sip:example.com", "");
    const std::string two_bindings = response(
        "SIP/2.0 200 OK", "REGISTER", "Contact: <sip:alice@192.0.2.1>;expires=1800, <sip:alice@192.0.2.7>;expires=60\n");
    const std::string none = response("SIP/2.0 200 OK", "REGISTER", "");
    const std::string at_zero = response("SIP/2.0 200 OK", "REGISTER", "Contact: <sip:alice@192.0.2.1>;expires=0\n");

    SECTION("bindings listed: the current ones, none accepted") {
        const Meaning m = meaning_after(query, two_bindings);
        CHECK(m.reference == "RFC 3261 10.2.3");
        CHECK(m.text.find("query") != std::string::npos);
        CHECK(m.text.find("every current binding") != std::string::npos);
        CHECK(m.text.find("accepted") == std::string::npos);
        CHECK(m.text.find("remain") == std::string::npos);
    }
    SECTION("no Contact: the address-of-record has no binding; none was removed") {
        const Meaning m = meaning_after(query, none);
        CHECK(m.reference == "RFC 3261 10.2.3");
        CHECK(m.text.find("query") != std::string::npos);
        CHECK(m.text.find("no binding") != std::string::npos);
        CHECK(m.text.find("remain") == std::string::npos);
    }
    SECTION("only Contacts at 0 s: none live") {
        const Meaning m = meaning_after(query, at_zero);
        CHECK(m.reference == "RFC 3261 10.2.3");
        CHECK(m.text.find("query") != std::string::npos);
        CHECK(m.text.find("0 s left") != std::string::npos);
    }
    SECTION("negative: a REGISTER with a Contact changes bindings") {
        const std::string refresh = request("REGISTER", "sip:example.com", "Contact: <sip:alice@192.0.2.1>\n");
        CHECK(meaning_after(refresh, two_bindings).text == describe_status(200, "REGISTER").meaning);
        CHECK(meaning_after(refresh, none).text.rfind("no bindings remain", 0) == 0);
        CHECK(meaning_after(request("REGISTER", "sip:example.com", "Contact: *\nExpires: 0\n"), none)
                  .text.rfind("no bindings remain", 0) == 0);
    }
    SECTION("negative: without the request nobody can tell a query") {
        CHECK(meaning_alone(two_bindings) == describe_status(200, "REGISTER").meaning);
        CHECK(meaning_alone(none).rfind("no bindings remain", 0) == 0);
    }
    SECTION("negative: a 202 keeps its own meaning") {
        CHECK(meaning_after(query, response("SIP/2.0 202 Accepted", "REGISTER", "")).text ==
              describe_status(202, "REGISTER").meaning);
    }
}

// A REGISTER removes a binding by giving it 0 s: its Contact's expires
// parameter, else the Expires header (10.2.1.1, 10.2.2), or every binding
// with `Contact: *` and Expires: 0. The registrar then drops it (10.3 steps
// 6-7: a request it may not apply fails instead), and its 200 lists the
// bindings left (step 8). One that still lists a removed binding with time
// left kept it: the "why is the old phone still registered" question.
TEST_CASE("a 200 to REGISTER still listing a binding the REGISTER removed says the registrar kept it", "[codes]") {
    struct Kept {
        std::vector<bool> targets;  // removal_ignored, per Contact of the 200
        std::string meaning, reference;
    };
    const auto after = [](const std::string& req, const std::string& resp) {
        CaptureTracker tracker;
        if (!req.empty()) tracker.observe({1, 0, 10'000'000'000, true}, req);
        const MessageReport& r = tracker.observe({2, 0, 10'250'000'000, true}, resp);
        REQUIRE(r.analysed);
        REQUIRE((r.request != nullptr) == !req.empty());
        Kept k;
        for (const Target& t : r.analysis.targets) k.targets.push_back(t.removal_ignored);
        k.meaning = r.analysis.status.meaning;
        k.reference = r.analysis.status.reference;
        return k;
    };
    const auto reg = [](std::string_view extra) { return request("REGISTER", "sip:example.com", extra); };
    const auto ok = [](std::string_view contacts) {
        return response("SIP/2.0 200 OK", "REGISTER", "Contact: " + std::string(contacts) + "\n");
    };
    const std::string accepted(describe_status(200, "REGISTER").meaning);
    const auto says_kept = [](const Kept& k) {
        return k.meaning.find("still lists") != std::string::npos && k.reference == "RFC 3261 10.3";
    };

    SECTION("removed by its expires parameter, listed with time left") {
        const Kept k = after(reg("Contact: <sip:alice@192.0.2.1>;expires=0\n"),
                             ok("<sip:alice@192.0.2.1>;expires=3400"));
        CHECK(k.targets == std::vector<bool>{true});
        CHECK(says_kept(k));
    }
    SECTION("removed by the Expires header; the other binding listed is not one it removed") {
        const Kept k = after(reg("Contact: <sip:alice@192.0.2.1>\nExpires: 0\n"),
                             ok("<sip:alice@192.0.2.7>;expires=60, <sip:alice@192.0.2.1>;expires=3400"));
        CHECK(k.targets == std::vector<bool>{false, true});
        CHECK(says_kept(k));
    }
    SECTION("URIs compared as 19.1.4 does: host case, a parameter in one only (RFC 5626's ob)") {
        const Kept k = after(reg("Contact: \"Alice\" <sip:alice@PC.Example.COM>;expires=0\n"),
                             ok("<sip:alice@pc.example.com;ob>;expires=3400"));
        CHECK(k.targets == std::vector<bool>{true});
        // the user part is case-sensitive: another binding
        CHECK(after(reg("Contact: <sip:Alice@pc.example.com>;expires=0\n"),
                    ok("<sip:alice@pc.example.com>;expires=3400"))
                  .targets == std::vector<bool>{false});
    }
    SECTION("Contact: * with Expires: 0 removes every binding") {
        const Kept k = after(reg("Contact: *\nExpires: 0\n"),
                             ok("<sip:alice@192.0.2.7>;expires=60, <sip:alice@192.0.2.1>;expires=0"));
        CHECK(k.targets == std::vector<bool>{true, false});
        CHECK(says_kept(k));
    }
    SECTION("outbound flows (RFC 5626): the same instance and reg-id only") {
        const std::string removal =
            reg("Contact: <sip:alice@192.0.2.1>;+sip.instance=\"<urn:uuid:0001>\";reg-id=1;expires=0\n");
        CHECK(after(removal, ok("<sip:alice@192.0.2.1>;+sip.instance=\"<urn:uuid:0001>\";reg-id=2;expires=3600"))
                  .targets == std::vector<bool>{false});
        CHECK(after(removal, ok("<sip:alice@192.0.2.1>;expires=3600")).targets == std::vector<bool>{false});
        CHECK(after(removal, ok("<sip:alice@192.0.2.1>;reg-id=1;+sip.instance=\"<urn:uuid:0001>\";expires=3600"))
                  .targets == std::vector<bool>{true});
    }
    SECTION("negative: the removed binding is gone, or listed at 0 s") {
        const std::string removal = reg("Contact: <sip:alice@192.0.2.1>;expires=0\n");
        const Kept other = after(removal, ok("<sip:alice@192.0.2.7>;expires=3600"));
        CHECK(other.targets == std::vector<bool>{false});
        CHECK(other.meaning == accepted);
        const Kept zero = after(removal, ok("<sip:alice@192.0.2.1>;expires=0"));
        CHECK(zero.targets == std::vector<bool>{false});
        CHECK(zero.meaning.rfind("no bindings remain", 0) == 0);
        // listed without any lifetime: nothing says it has time left
        CHECK(after(removal, response("SIP/2.0 200 OK", "REGISTER", "Contact: <sip:alice@192.0.2.1>\n"))
                  .targets == std::vector<bool>{false});
        // nor without one of its own: the Expires header may be a default
        // put beside the REGISTER's Contact echoed
        CHECK(after(removal, response("SIP/2.0 200 OK", "REGISTER", "Contact: <sip:alice@192.0.2.1>\nExpires: 3600\n"))
                  .targets == std::vector<bool>{false});
    }
    SECTION("negative: requests that remove nothing") {
        const std::string listed = ok("<sip:alice@192.0.2.1>;expires=3600");
        // the parameter wins over the header (10.2.1.1)
        CHECK(after(reg("Contact: <sip:alice@192.0.2.1>;expires=3600\nExpires: 0\n"), listed).targets ==
              std::vector<bool>{false});
        // an unreadable expires counts as 3600 s (20.10)
        CHECK(after(reg("Contact: <sip:alice@192.0.2.1>;expires=zero\n"), listed).targets ==
              std::vector<bool>{false});
        // Contact: * without Expires: 0 is a bad request (10.3 step 6), not a removal
        CHECK(after(reg("Contact: *\nExpires: 3600\n"), listed).targets == std::vector<bool>{false});
        // one request both removing and setting the URI: which wins is not written down
        CHECK(after(reg("Contact: <sip:alice@192.0.2.1>;expires=0, <sip:alice@192.0.2.1>;expires=60\n"), listed)
                  .targets == std::vector<bool>{false});
        // a query (no Contact) changes nothing
        CHECK(after(reg("Expires: 0\n"), listed).targets == std::vector<bool>{false});
    }
    SECTION("negative: without the REGISTER, or a 202, nothing is said") {
        const Kept alone = after("", ok("<sip:alice@192.0.2.1>;expires=3400"));
        CHECK(alone.targets == std::vector<bool>{false});
        CHECK(alone.meaning == accepted);
        CHECK(after(reg("Contact: <sip:alice@192.0.2.1>;expires=0\n"),
                    response("SIP/2.0 202 Accepted", "REGISTER", "Contact: <sip:alice@192.0.2.1>;expires=3400\n"))
                  .targets == std::vector<bool>{false});
    }
    SECTION("a REGISTER removing many Contacts: each of the first 16 is compared") {
        std::string contacts;
        for (int i = 1; i <= 16; ++i)
            contacts += "Contact: <sip:alice@192.0.2." + std::to_string(i) + ">;expires=0\n";
        const Kept k = after(reg(contacts), ok("<sip:alice@192.0.2.16>;expires=100, <sip:alice@192.0.2.99>;expires=100"));
        CHECK(k.targets == std::vector<bool>{true, false});
    }
    SECTION("URIs with long parameter lists compare as short ones do") {
        // (such lists are sorted once and walked side by side)
        const std::string forward = numbered_parameters(40, false), backward = numbered_parameters(40, true);
        const std::string removal = reg("Contact: <sip:alice@192.0.2.1;" + forward + ">;expires=0\n");
        CHECK(after(removal, ok("<sip:alice@192.0.2.1;" + backward + ">;expires=3600, <sip:alice@192.0.2.1;p7=other>;"
                                "expires=3600, <sip:alice@192.0.2.1;user=phone>;expires=3600"))
                  .targets == std::vector<bool>{true, false, false});
        // bound again with time left by the same request: no clear removal
        CHECK(after(reg("Contact: <sip:alice@192.0.2.1;" + forward + ">;expires=0, <sip:alice@192.0.2.1;p3=v3>;"
                        "expires=60\n"),
                    ok("<sip:alice@192.0.2.1;" + backward + ">;expires=3600"))
                  .targets == std::vector<bool>{false});
        CHECK(after(reg("Contact: <sip:alice@192.0.2.1;" + forward + ">;expires=0, <sip:alice@192.0.2.1;p3=other>;"
                        "expires=60\n"),
                    ok("<sip:alice@192.0.2.1;" + backward + ">;expires=3600"))
                  .targets == std::vector<bool>{true});
    }
}
