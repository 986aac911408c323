// RFC 4475, the SIP torture test messages: every one read without a crash
// (the unit run is built with ASan and UBSan), and the valid ones read to
// what the RFC says they contain, for the parts sipresp uses: start line,
// Contact values and their parameters, Expires, Call-ID, CSeq.
// The messages are in unit/rfc4475/, one file each, named as the RFC's
// archive names them; unit/rfc4475/README.md says where they come from and
// how a file maps to bytes.
#include "catch.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "capture_tracker.h"
#include "header_values.h"
#include "lifetime.h"
#include "message.h"
#include "name_addr.h"
#include "response_analysis.h"
#include "rfc_messages.h"
#include "transaction.h"
#include "uri.h"

using namespace sipresp;

namespace {

// Section 3.1.1 (valid), 3.1.2 (invalid), 3.2 (transaction layer), 3.3
// (application layer), 3.4 (backward compatibility): all 49.
const char* const kAllMessages[] = {
    "wsinv",    "intmeth",  "esc01",    "escnull",  "esc02",      "lwsdisp",    "longreq",
    "dblreq",   "semiuri",  "transports", "mpart01", "unreason",  "noreason",   "badinv01",
    "clerr",    "ncl",      "scalar02", "scalarlg", "quotbal",    "ltgtruri",   "lwsruri",
    "lwsstart", "trws",     "escruri",  "baddate",  "regbadct",   "badaspec",   "baddn",
    "badvers",  "mismatch01", "mismatch02", "bigcode", "badbranch", "insuf",    "unkscm",
    "novelsc",  "unksm2",   "bext01",   "invut",    "regaut01",   "multi01",    "mcl01",
    "bcast",    "zeromf",   "cparam01", "cparam02", "regescrt",   "sdp01",      "inv2543",
};

std::string torture_bytes(std::string_view name) { return test::rfc_message_bytes(SIPRESP_RFC4475_DIR, name); }

struct Torture : test::RfcMessage {
    explicit Torture(std::string_view name) : RfcMessage(SIPRESP_RFC4475_DIR, name) {}
};

std::string_view param(std::string_view params, std::string_view name) {
    Param p;
    return find_param(params, name, p) ? p.value : std::string_view{"(absent)"};
}

bool has_param(std::string_view params, std::string_view name) {
    Param p;
    return find_param(params, name, p);
}

using test::check_cseq;

}  // namespace

TEST_CASE("RFC 4475: every torture message is read without a crash, whole or in part, and tracked", "[rfc4475]") {
    CaptureTracker tracker;
    std::uint32_t frame = 0;
    for (const char* name : kAllMessages) {
        INFO(name);
        const std::string bytes = torture_bytes(name);
        REQUIRE(!bytes.empty());
        Message m;
        parse_message(bytes, m);
        // an outcome, and a reason whenever it is not complete
        CHECK((m.status == ParseStatus::complete) == (m.error == nullptr));
        if (m.status == ParseStatus::complete) {
            CHECK(m.bytes.size() == bytes.size());
            for (const Header& h : m.headers) CHECK(h.offset + h.length <= bytes.size());
            // everything sipresp reads from a message, run over it
            (void)parse_cseq(m);
            (void)top_via_branch(m);
            (void)to_tag(m);
            (void)caller_keys(m);
            for (const Header& h : m.headers) {
                ListSplitter list(h.value);
                std::string_view element;
                std::size_t offset = 0;
                while (list.next(element, offset)) {
                    const NameAddr a = parse_name_addr(element);
                    (void)a.display_name();
                    (void)effective_lifetime(a.params, nullptr);
                }
            }
            if (m.is_request) {
                (void)summarize_request(m);
                (void)parse_uri(m.request_uri);
            } else {
                ResponseAnalysis analysis;
                analyse_response(m, analysis);
            }
        }
        // read as far as the tracker reads a message it does not analyse,
        // and as a capture that kept only part of it
        Message partial;
        parse_message(bytes, partial, [](const Message&) { return ReadExtent::transaction_keys; });
        parse_message(std::string_view(bytes).substr(0, bytes.size() / 2), partial, nullptr, true);
        parse_message(std::string_view(bytes).substr(0, bytes.size() / 2), partial);
        // the tracker, first and second pass
        ++frame;
        tracker.observe({frame, 0, std::int64_t(frame) * 1'000'000, true}, bytes);
        tracker.observe({frame, 0, std::int64_t(frame) * 1'000'000, false}, bytes);
        tracker.observe({frame + 1000, 0, std::int64_t(frame) * 1'000'000, true, 0, 0, true},
                        std::string_view(bytes).substr(0, bytes.size() * 2 / 3));
    }
    CHECK(frame == 49);
}

// ---- 3.1.1: valid messages ----

TEST_CASE("RFC 4475 3.1.1.1 wsinv: folding, escapes in quotes, LWS everywhere, compact and long names",
          "[rfc4475]") {
    Torture t("wsinv");
    const Message& m = t.message;
    REQUIRE(m.status == ParseStatus::complete);
    CHECK(m.is_request);
    CHECK(m.method == "INVITE");
    CHECK(m.request_uri == "sip:vivekg@chair-dnrc.example.com;unknownparam");
    CHECK(t.value(HeaderId::call_id) == "wsinv.ndaksdj@192.0.2.1");
    check_cseq(m, 9, "INVITE");  // "0009\r\n  INVITE": leading zeros, folded
    CHECK(m.body.size() == 150);
    // To's tag despite a fold before the URI and LWS around '='
    CHECK(to_tag(m) == "1918181833n");
    const NameAddr from = parse_name_addr(t.elements(HeaderId::from).at(0));
    REQUIRE(from.valid);
    CHECK(from.uri.text == "sip:jdrosen@example.com");
    CHECK(from.display_name() == "J Rosenberg \\\"");
    CHECK(param(from.params, "tag") == "98asjd8");
    // three Via values in two header fields, "Via" and "v"; the first one's
    // sent-protocol is folded over three lines and its branch is an RFC
    // 2543 one
    CHECK(m.count(HeaderId::via) == 2);
    CHECK(t.elements(HeaderId::via).size() == 3);
    CHECK(top_via_branch(m) == "390skdjuw");
    // one Contact, in compact form "m", with a quoted display name holding
    // escaped quotes, unknown parameters over folded lines, and q
    const std::vector<NameAddr> contacts = t.contacts();
    REQUIRE(contacts.size() == 1);
    const NameAddr& c = contacts[0];
    REQUIRE(c.valid);
    CHECK(c.display_name() == "Quoted string \"\"");
    CHECK(c.uri.text == "sip:jdrosen@example.com");
    CHECK(c.uri.user == "jdrosen");
    CHECK(c.uri.host == "example.com");
    CHECK(param(c.params, "newparam") == "newvalue");
    CHECK(has_param(c.params, "secondparam"));
    CHECK(param(c.params, "secondparam").empty());
    const QValue q = parse_qvalue(param(c.params, "q"));
    CHECK(q.valid);
    CHECK(q.thousandths == 330);
    CHECK(t.value(HeaderId::expires).empty());
}

TEST_CASE("RFC 4475 3.1.1.2 intmeth: an unknown method and the widest character ranges", "[rfc4475]") {
    Torture t("intmeth");
    const Message& m = t.message;
    REQUIRE(m.status == ParseStatus::complete);
    CHECK(m.method == "!interesting-Method0123456789_*+`.%indeed'~");
    CHECK(m.request_uri ==
          "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com");
    const Uri ruri = parse_uri(m.request_uri);
    REQUIRE(ruri.valid);
    CHECK(ruri.user == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    CHECK(ruri.password == "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    CHECK(ruri.host == "example.com");
    CHECK(ruri.params.empty());
    CHECK(ruri.headers.empty());
    CHECK(t.value(HeaderId::call_id) == "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
    check_cseq(m, 139122385, "!interesting-Method0123456789_*+`.%indeed'~");
    CHECK(top_via_branch(m) == "z9hG4bK-.!%66*_+`'~");
    // the To display name quotes a BEL, a NUL and a DEL
    const NameAddr to = parse_name_addr(t.value(HeaderId::to));
    REQUIRE(to.valid);
    CHECK(to.display_name() == std::string("BEL:\x07 NUL:") + '\0' + " DEL:\x7f");
    CHECK(to.uri.user == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    // an unquoted display name of several tokens, a parameter whose value
    // is UTF-8, a tag of token characters
    const NameAddr from = parse_name_addr(t.value(HeaderId::from));
    REQUIRE(from.valid);
    CHECK(from.display_name() == "token1~` token2'+_ token3*%!.-");
    CHECK(from.uri.text == "sip:mundane@example.com");
    CHECK(param(from.params, "tag") == "_token~1'+`*%!-.");
    CHECK(param(from.params, "fromParam''~+*_!.-%") == "\"работающий\"");
    CHECK(t.contacts().empty());
    CHECK(m.body.empty());
}

TEST_CASE("RFC 4475 3.1.1.3 esc01: %HH escapes, equal to what they encode where SIP allows them",
          "[rfc4475]") {
    Torture t("esc01");
    const Message& m = t.message;
    REQUIRE(m.status == ParseStatus::complete);
    CHECK(m.method == "INVITE");
    const Uri ruri = parse_uri(m.request_uri);
    REQUIRE(ruri.valid);
    CHECK(ruri.user == "sips%3Auser%40example.com");
    CHECK(ruri.host == "example.net");
    CHECK(t.value(HeaderId::call_id) == "esc01.239409asdfakjkn23onasd0-3234");  // compact "i"
    check_cseq(m, 234234, "INVITE");
    CHECK(uri_equal(parse_name_addr(t.value(HeaderId::to)).uri, parse_uri("sip:user@example.com")));
    const std::vector<NameAddr> contacts = t.contacts();
    REQUIRE(contacts.size() == 1);  // its value starts on a folded line
    REQUIRE(contacts[0].valid);
    const Uri& target = contacts[0].uri;
    CHECK(target.text == "sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31");
    // "%6C%72" is lr; the name parameter's value is "value%41", which
    // unescapes once (RFC 3986) and so is not "valueA" (19.1.4)
    CHECK(uri_equal(target, parse_uri("sip:caller@host5.example.net;lr;name=value%2541")));
    CHECK_FALSE(uri_equal(target, parse_uri("sip:caller@host5.example.net;lr;name=valueA")));
    CHECK(m.body.size() == 150);
}

TEST_CASE("RFC 4475 3.1.1.4 escnull: escaped NULs in user parts, two distinct Contacts", "[rfc4475]") {
    Torture t("escnull");
    const Message& m = t.message;
    REQUIRE(m.status == ParseStatus::complete);
    CHECK(m.method == "REGISTER");
    CHECK(m.request_uri == "sip:example.com");
    CHECK(t.value(HeaderId::call_id) == "escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd");
    check_cseq(m, 14398234, "REGISTER");
    CHECK(parse_name_addr(t.value(HeaderId::to)).uri.user == "null-%00-null");
    const std::vector<NameAddr> contacts = t.contacts();
    REQUIRE(contacts.size() == 2);
    CHECK(contacts[0].uri.user == "%00");
    CHECK(contacts[1].uri.user == "%00%00");
    // the unescaped user parts must not be cut short at the NUL
    CHECK_FALSE(uri_equal(contacts[0].uri, contacts[1].uri));
    CHECK(m.has_content_length);  // compact "L:0"
    CHECK(m.body.empty());
}

TEST_CASE("RFC 4475 3.1.1.5 esc02: % where it is no escape (method, display name, header name)",
          "[rfc4475]") {
    Torture t("esc02");
    const Message& m = t.message;
    REQUIRE(m.status == ParseStatus::complete);
    CHECK(m.method == "RE%47IST%45R");  // an unknown method, not REGISTER
    CHECK(m.request_uri == "sip:registrar.example.com");
    CHECK(t.value(HeaderId::call_id) == "esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf");
    check_cseq(m, 29344, "RE%47IST%45R");
    CHECK(top_via_branch(m) == "z9hG4bK209%fzsnel234");
    CHECK(parse_name_addr(t.value(HeaderId::to)).display_name() == "%Z%45");
    // two Contact values, not three: "C%6Fntact" is another header field
    const std::vector<NameAddr> contacts = t.contacts();
    REQUIRE(contacts.size() == 2);
    CHECK(contacts[0].uri.text == "sip:alias1@host1.example.com");
    CHECK(contacts[1].uri.text == "sip:alias3@host3.example.com");
}

TEST_CASE("RFC 4475 3.1.1.6 lwsdisp: no LWS between a display name and '<'", "[rfc4475]") {
    Torture t("lwsdisp");
    const Message& m = t.message;
    REQUIRE(m.status == ParseStatus::complete);
    CHECK(m.method == "OPTIONS");
    CHECK(t.value(HeaderId::call_id) == "lwsdisp.1234abcd@funky.example.com");
    check_cseq(m, 60, "OPTIONS");
    const NameAddr from = parse_name_addr(t.value(HeaderId::from));
    REQUIRE(from.valid);
    CHECK(from.display_name() == "caller");
    CHECK(from.uri.text == "sip:caller@example.com");
    CHECK(param(from.params, "tag") == "323");
    CHECK(t.contacts().empty());
}

TEST_CASE("RFC 4475 3.1.1.7 longreq: long values and 34 Via values under many spellings", "[rfc4475]") {
    Torture t("longreq");
    const Message& m = t.message;
    REQUIRE(m.status == ParseStatus::complete);
    CHECK(m.method == "INVITE");
    CHECK(t.value(HeaderId::call_id) ==
          "longreq.onereallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreally"
          "reallyreallyreallyreallyreallyreallylongcallid");
    check_cseq(m, 3882340, "INVITE");
    CHECK(m.count(HeaderId::via) == 34);
    CHECK(t.elements(HeaderId::via).front() == "SIP/2.0/TCP sip33.example.com");
    CHECK(top_via_branch(m).empty());  // the top Via has no branch
    const NameAddr to = parse_name_addr(t.value(HeaderId::to));
    REQUIRE(to.valid);
    CHECK(to.uri.port == "6000");
    std::string long_name = "longparam";
    for (int i = 0; i < 25; ++i) long_name += "name";
    CHECK(param(to.uri.params, long_name) == "shortvalue");
    const std::string_view from_tag = param(parse_name_addr(t.value(HeaderId::from)).params, "tag");
    CHECK(from_tag.size() == 155);
    CHECK(from_tag.substr(from_tag.size() - 3) == "424");
    const std::vector<NameAddr> contacts = t.contacts();
    REQUIRE(contacts.size() == 1);
    CHECK(contacts[0].uri.user.size() == 5 * std::string_view("amazinglylongcallername").size());
    CHECK(contacts[0].uri.host == "host5.example.net");
    CHECK(m.body.size() == 150);  // compact "l: 150"
}

TEST_CASE("RFC 4475 3.1.1.8 dblreq: a datagram's bytes past the Content-Length body are not read",
          "[rfc4475]") {
    Torture t("dblreq");
    const Message& m = t.message;
    REQUIRE(m.status == ParseStatus::complete);
    CHECK(m.method == "REGISTER");
    CHECK(t.value(HeaderId::call_id) == "dblreq.0ha0isndaksdj99sdfafnl3lk233412");
    check_cseq(m, 8, "REGISTER");
    CHECK(m.body.empty());  // Content-Length: 0; the INVITE after it is noise (18.3)
    const std::vector<NameAddr> contacts = t.contacts();
    REQUIRE(contacts.size() == 1);
    CHECK(contacts[0].uri.text == "sip:j.user@host.example.com");
    // nothing of the trailing INVITE became a header of the REGISTER
    CHECK(m.count(HeaderId::call_id) == 1);
    CHECK(m.count(HeaderId::cseq) == 1);
}

TEST_CASE("RFC 4475 3.1.1.9 semiuri: a semicolon in a Request-URI's user part", "[rfc4475]") {
    Torture t("semiuri");
    const Message& m = t.message;
    REQUIRE(m.status == ParseStatus::complete);
    const Uri ruri = parse_uri(m.request_uri);
    REQUIRE(ruri.valid);
    CHECK(ruri.user == "user;par=u%40example.net");
    CHECK(ruri.host == "example.com");
    CHECK(ruri.params.empty());
    CHECK(t.value(HeaderId::call_id) == "semiuri.0ha0isndaksdj");
    check_cseq(m, 8, "OPTIONS");
}

TEST_CASE("RFC 4475 3.1.1.10 transports: Via values of every transport, and an unknown one", "[rfc4475]") {
    Torture t("transports");
    const Message& m = t.message;
    REQUIRE(m.status == ParseStatus::complete);
    CHECK(t.value(HeaderId::call_id) == "transports.kijh4akdnaqjkwendsasfdj");
    check_cseq(m, 60, "OPTIONS");
    CHECK(m.count(HeaderId::via) == 5);
    CHECK(top_via_branch(m) == "z9hG4bKkdjuw");
    CHECK(t.elements(HeaderId::via)[3] == "SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en");
}

TEST_CASE("RFC 4475 3.1.1.11 mpart01: a multipart body with NULs, framed by Content-Length", "[rfc4475]") {
    Torture t("mpart01");
    const Message& m = t.message;
    REQUIRE(m.status == ParseStatus::complete);
    CHECK(m.method == "MESSAGE");
    CHECK(m.request_uri == "sip:kumiko@example.org");
    CHECK(t.value(HeaderId::call_id) == "3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..");
    check_cseq(m, 1, "MESSAGE");
    CHECK(top_via_branch(m) == "z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-");
    REQUIRE(m.body.size() == 553);
    CHECK(m.body.find('\0') != std::string_view::npos);
    CHECK(m.body.substr(m.body.size() - 24) == "\r\n--7a9cbec02ceef655--\r\n");
    const std::vector<NameAddr> contacts = t.contacts();
    REQUIRE(contacts.size() == 1);
    CHECK(contacts[0].uri.host == "127.0.0.1");
    CHECK(contacts[0].uri.port == "5070");
}

TEST_CASE("RFC 4475 3.1.1.12 unreason: a 200 whose reason phrase is UTF-8", "[rfc4475]") {
    Torture t("unreason");
    const Message& m = t.message;
    REQUIRE(m.status == ParseStatus::complete);
    CHECK_FALSE(m.is_request);
    CHECK(m.status_code == 200);
    CHECK(m.reason == "= 2**3 * 5**2 но сто девяносто девять - простое");
    CHECK(t.value(HeaderId::call_id) == "unreason.1234ksdfak3j2erwedfsASdf");
    check_cseq(m, 35, "INVITE");
    CHECK(to_tag(m) == "2229");
    CHECK(m.body.size() == 154);
    // a well-formed 200 to INVITE with one Contact: one target, no finding
    ResponseAnalysis a;
    analyse_response(m, a);
    REQUIRE(a.targets.size() == 1);
    CHECK(a.targets[0].contact.uri.text == "sip:user@host198.example.com");
    CHECK(a.findings.empty());
}

TEST_CASE("RFC 4475 3.1.1.13 noreason: an empty reason phrase", "[rfc4475]") {
    Torture t("noreason");
    const Message& m = t.message;
    REQUIRE(m.status == ParseStatus::complete);
    CHECK(m.status_code == 100);
    CHECK(m.reason.empty());
    CHECK(t.value(HeaderId::call_id) == "noreason.asndj203insdf99223ndf");
    check_cseq(m, 35, "INVITE");
    REQUIRE(t.contacts().size() == 1);
}

// ---- 3.2 to 3.4: syntactically valid, with odd semantics ----

TEST_CASE("RFC 4475 3.2.1 badbranch: a branch that is only the magic cookie", "[rfc4475]") {
    Torture t("badbranch");
    REQUIRE(t.message.status == ParseStatus::complete);
    CHECK(top_via_branch(t.message) == "z9hG4bK");
    CHECK(t.value(HeaderId::call_id) == "badbranch.sadonfo23i420jv0as0derf3j3n");
    check_cseq(t.message, 8, "OPTIONS");
}

TEST_CASE("RFC 4475 3.3.2-4: unknown schemes read as URIs of another scheme", "[rfc4475]") {
    Torture unkscm("unkscm");
    REQUIRE(unkscm.message.status == ParseStatus::complete);
    CHECK(unkscm.message.request_uri == "nobodyKnowsThisScheme:totallyopaquecontent");
    CHECK(parse_uri(unkscm.message.request_uri).scheme == UriScheme::other);
    check_cseq(unkscm.message, 3923423, "OPTIONS");

    Torture novelsc("novelsc");
    REQUIRE(novelsc.message.status == ParseStatus::complete);
    CHECK(novelsc.message.request_uri == "soap.beep://192.0.2.103:3002");
    CHECK(parse_uri(novelsc.message.request_uri).scheme == UriScheme::other);

    Torture unksm2("unksm2");
    REQUIRE(unksm2.message.status == ParseStatus::complete);
    const std::vector<NameAddr> contacts = unksm2.contacts();
    REQUIRE(contacts.size() == 1);
    CHECK(contacts[0].uri.text == "name:John_Smith");
    CHECK(contacts[0].uri.scheme == UriScheme::other);
    CHECK(unksm2.value(HeaderId::call_id) == "unksm2.daksdj@hyphenated-host.example.com");
    check_cseq(unksm2.message, 234902, "REGISTER");
}

TEST_CASE("RFC 4475 3.3.12-13 cparam01/cparam02: a parameter after a bare addr-spec is the Contact's, "
          "inside <> the URI's",
          "[rfc4475]") {
    Torture bare("cparam01");
    REQUIRE(bare.message.status == ParseStatus::complete);
    check_cseq(bare.message, 2, "REGISTER");
    const std::vector<NameAddr> a = bare.contacts();
    REQUIRE(a.size() == 1);
    CHECK(a[0].uri.text == "sip:+19725552222@gw1.example.net");
    CHECK(a[0].uri.params.empty());
    CHECK(has_param(a[0].params, "unknownparam"));

    Torture bracketed("cparam02");
    REQUIRE(bracketed.message.status == ParseStatus::complete);
    check_cseq(bracketed.message, 3, "REGISTER");
    const std::vector<NameAddr> b = bracketed.contacts();
    REQUIRE(b.size() == 1);
    CHECK(b[0].uri.text == "sip:+19725552222@gw1.example.net;unknownparam");
    CHECK(has_param(b[0].uri.params, "unknownparam"));
    CHECK(b[0].params.empty());
}

TEST_CASE("RFC 4475 3.3.14 regescrt: a Contact URI with an escaped header", "[rfc4475]") {
    Torture t("regescrt");
    REQUIRE(t.message.status == ParseStatus::complete);
    check_cseq(t.message, 14398234, "REGISTER");
    const std::vector<NameAddr> contacts = t.contacts();  // compact "M"
    REQUIRE(contacts.size() == 1);
    CHECK(contacts[0].uri.host == "example.com");
    CHECK(contacts[0].uri.headers == "Route=%3Csip:sip.example.com%3E");
}

TEST_CASE("RFC 4475 3.3.10 bcast: a 200 with a broadcast Via is read and analysed like any other",
          "[rfc4475]") {
    Torture t("bcast");
    REQUIRE(t.message.status == ParseStatus::complete);
    CHECK(t.message.status_code == 200);
    CHECK(t.message.count(HeaderId::via) == 2);
    check_cseq(t.message, 35, "INVITE");
    ResponseAnalysis a;
    analyse_response(t.message, a);
    REQUIRE(a.targets.size() == 1);
    CHECK(a.targets[0].contact.uri.text == "sip:user@host28.example.com");
}

TEST_CASE("RFC 4475 3.3.11 zeromf and 3.4.1 inv2543: Max-Forwards 0, and RFC 2543 syntax "
          "without Content-Length or branch",
          "[rfc4475]") {
    Torture zeromf("zeromf");
    REQUIRE(zeromf.message.status == ParseStatus::complete);
    CHECK(zeromf.value(HeaderId::call_id) == "zeromf.jfasdlfnm2o2l43r5u0asdfas");
    check_cseq(zeromf.message, 39234321, "OPTIONS");

    Torture old("inv2543");
    REQUIRE(old.message.status == ParseStatus::complete);
    CHECK_FALSE(old.message.has_content_length);
    // over UDP the body runs to the end of the datagram (18.3)
    CHECK(old.message.body.size() == 105);
    CHECK(top_via_branch(old.message).empty());
    CHECK(old.value(HeaderId::call_id) == "inv2543.1717@ift.client.example.com");
    check_cseq(old.message, 56, "INVITE");
}

// ---- 3.1.2 and 3.3: invalid messages, where sipresp's reading matters ----

TEST_CASE("RFC 4475 3.1.2.2-3 clerr and ncl: a body shorter than Content-Length, and a negative one",
          "[rfc4475]") {
    Torture clerr("clerr");
    CHECK(clerr.message.status == ParseStatus::incomplete);
    CHECK(clerr.message.error != nullptr);
    Torture ncl("ncl");
    CHECK(ncl.message.status == ParseStatus::malformed);
    CHECK(ncl.message.error != nullptr);
}

TEST_CASE("RFC 4475 3.3.9 mcl01: two Content-Length values that differ leave the framing unknown",
          "[rfc4475]") {
    Torture t("mcl01");
    CHECK(t.message.status == ParseStatus::malformed);
    CHECK(t.message.error != nullptr);
}

TEST_CASE("RFC 4475 3.1.2.4-5 scalar02 and scalarlg: CSeq numbers and lifetimes past 2^32-1", "[rfc4475]") {
    Torture request("scalar02");
    REQUIRE(request.message.status == ParseStatus::complete);
    CHECK_FALSE(parse_cseq(request.message).valid);
    // an expires above 2^32-1 counts as 2^32-1 (RFC 3261 10.2.1.1), from the
    // Contact (folded before its parameter) and from the Expires header
    const std::vector<NameAddr> contacts = request.contacts();
    REQUIRE(contacts.size() == 1);
    const std::string_view expires_header = request.value(HeaderId::expires);
    const Lifetime from_contact = effective_lifetime(contacts[0].params, &expires_header);
    CHECK(from_contact.source == LifetimeSource::contact_expires);
    CHECK(from_contact.clamped);
    CHECK(from_contact.seconds == UINT32_MAX);
    const Lifetime from_header = effective_lifetime(std::string_view{}, &expires_header);
    CHECK(from_header.source == LifetimeSource::expires_header);
    CHECK(from_header.clamped);
    CHECK(from_header.seconds == UINT32_MAX);

    Torture response("scalarlg");
    REQUIRE(response.message.status == ParseStatus::complete);
    CHECK(response.message.status_code == 503);
    CHECK_FALSE(parse_cseq(response.message).valid);
}

TEST_CASE("RFC 4475 3.1.2.19 bigcode: a status code past three digits is not a status", "[rfc4475]") {
    Torture t("bigcode");
    CHECK(t.message.status == ParseStatus::malformed);
    CHECK_FALSE(is_analysed_status(t.message.status_code));
}

TEST_CASE("RFC 4475 3.1.2.6 quotbal: an unterminated quoted display name is not a name-addr", "[rfc4475]") {
    Torture t("quotbal");
    REQUIRE(t.message.status == ParseStatus::complete);
    CHECK_FALSE(parse_name_addr(t.value(HeaderId::to)).valid);
    CHECK(to_tag(t.message).empty());
}
