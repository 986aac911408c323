// Start line, header fields, folding, compact names and body extent (RFC 3261 7).
#include "catch.h"

#include <cstring>
#include <memory>
#include <string>

#include "sip_text.h"

using namespace sipresp;
using sipresp::test::crlf;
using sipresp::test::Parsed;

TEST_CASE("a response start line gives code and reason", "[message]") {
    Parsed p("SIP/2.0 302 Moved Temporarily\nCall-ID: a\n\n");
    REQUIRE(p.message.status == ParseStatus::complete);
    CHECK_FALSE(p.message.is_request);
    CHECK(p.message.status_code == 302);
    CHECK(p.message.reason == "Moved Temporarily");
    CHECK(p.message.start_line_offset == 0);
    CHECK(p.message.start_line_length == 29);
}

TEST_CASE("a request start line gives method and Request-URI", "[message]") {
    Parsed p("INVITE sip:bob@example.com SIP/2.0\nCall-ID: a\n\n");
    REQUIRE(p.message.status == ParseStatus::complete);
    CHECK(p.message.is_request);
    CHECK(p.message.method == "INVITE");
    CHECK(p.message.request_uri == "sip:bob@example.com");
    CHECK(p.message.request_uri_offset == 7);
}

TEST_CASE("header names are case-insensitive and compact forms expand", "[message]") {
    Parsed p("SIP/2.0 200 OK\nm: <sip:a@b>\ni: call-1\nCSEQ: 1 INVITE\nv: SIP/2.0/UDP h;branch=z9hG4bK1\n"
             "f: <sip:x@y>;tag=1\nt: <sip:z@y>\nl: 0\ncontact: <sip:c@d>\n\n");
    REQUIRE(p.message.status == ParseStatus::complete);
    CHECK(p.message.count(HeaderId::contact) == 2);
    CHECK(p.message.find(HeaderId::call_id)->value == "call-1");
    CHECK(p.message.find(HeaderId::cseq)->value == "1 INVITE");
    CHECK(p.message.find(HeaderId::via) != nullptr);
    CHECK(p.message.find(HeaderId::from) != nullptr);
    CHECK(p.message.find(HeaderId::to) != nullptr);
    CHECK(p.message.has_content_length);
    CHECK(expand_compact_name("m") == "Contact");
    CHECK(expand_compact_name("L") == "Content-Length");
    CHECK(expand_compact_name("Expires") == "Expires");
}

TEST_CASE("find gives the first header of an id, and nothing left from an earlier message", "[message]") {
    // the Message reads its bytes in place: each text must outlive its checks
    const std::string one = sipresp::test::crlf(
        "SIP/2.0 302 Moved\nContact: <sip:a@b>\nCall-ID: one\ncontact: <sip:c@d>\nExpires: 60\n\n");
    const std::string two = sipresp::test::crlf("SIP/2.0 200 OK\nVia: SIP/2.0/UDP h\nCall-ID: two\n\n");
    const std::string three = sipresp::test::crlf("SIP/2.0 200 OK\nCall-ID: three\nContent-Length: x\n\n");
    Message m;
    parse_message(one, m);
    REQUIRE(m.status == ParseStatus::complete);
    REQUIRE(m.find(HeaderId::contact) != nullptr);
    CHECK(m.find(HeaderId::contact)->value == "<sip:a@b>");
    CHECK(m.find(HeaderId::contact) == &m.headers[0]);
    CHECK(m.find(HeaderId::expires)->value == "60");
    CHECK(m.find(HeaderId::via) == nullptr);
    // the same Message reused for one with other headers, as the tracker does
    parse_message(two, m);
    REQUIRE(m.status == ParseStatus::complete);
    CHECK(m.find(HeaderId::contact) == nullptr);
    CHECK(m.find(HeaderId::expires) == nullptr);
    CHECK(m.find(HeaderId::call_id)->value == "two");
    CHECK(m.find(HeaderId::via) == &m.headers[0]);
    // a Content-Length that is not a number is not listed, nor found
    parse_message(three, m);
    CHECK(m.status == ParseStatus::malformed);
    CHECK(m.find(HeaderId::content_length) == nullptr);
}

TEST_CASE("find still answers in a message of more than 65535 headers", "[message]") {
    std::string text = "SIP/2.0 200 OK\n";
    for (int i = 0; i < 70000; ++i) text += "X: y\n";
    text += "Call-ID: late\nContact: <sip:a@b>\n\n";
    Message m;
    parse_message(text, m);
    REQUIRE(m.status == ParseStatus::complete);
    REQUIRE(m.headers.size() == 70002);
    REQUIRE(m.find(HeaderId::call_id) != nullptr);
    CHECK(m.find(HeaderId::call_id)->value == "late");
    CHECK(m.find(HeaderId::contact)->value == "<sip:a@b>");
    CHECK(m.find(HeaderId::via) == nullptr);
}

TEST_CASE("every known header name is recognised in any case, and near misses are not", "[message]") {
    const std::pair<const char*, HeaderId> known[] = {
        {"To", HeaderId::to}, {"tO", HeaderId::to}, {"VIA", HeaderId::via}, {"cseq", HeaderId::cseq},
        {"FROM", HeaderId::from}, {"Contact", HeaderId::contact}, {"EXPIRES", HeaderId::expires},
        {"call-id", HeaderId::call_id}, {"CALL-ID", HeaderId::call_id}, {"Content-Type", HeaderId::content_type},
        {"RECORD-ROUTE", HeaderId::record_route}, {"content-length", HeaderId::content_length},
        {"Content-LENGTH", HeaderId::content_length}, {"V", HeaderId::via}, {"l", HeaderId::content_length},
    };
    for (const auto& [name, id] : known) {
        INFO(name);
        CHECK(header_id(name) == id);
    }
    // one byte off, one byte more or less, or a byte that only matches
    // after lower-casing by bit 5 ('\r' | 0x20 is '-', '_' | 0x20 is DEL)
    const char* other[] = {"Tx", "Vie", "CSeqs", "Fro", "Contacts", "Expire", "Call\rID", "Call_ID",
                           "Content-Typo", "Record_Route", "Content\rLength", "Content-Lengt", "Record-Rout",
                           "Server", "x", ""};
    for (const char* name : other) {
        INFO(name);
        CHECK(header_id(name) == HeaderId::other);
    }
}

TEST_CASE("a folded header line stays one header whose value spans the fold", "[message]") {
    Parsed p("SIP/2.0 302 Moved\nContact: <sip:a@b>,\n  <sip:c@d>\nCall-ID: x\n\n");
    REQUIRE(p.message.status == ParseStatus::complete);
    REQUIRE(p.message.headers.size() == 2);
    CHECK(p.message.headers[0].value == "<sip:a@b>,\r\n  <sip:c@d>");
    CHECK(p.message.headers[1].name == "Call-ID");
}

TEST_CASE("whitespace before the colon is allowed (HCOLON)", "[message]") {
    Parsed p("SIP/2.0 200 OK\nCall-ID  :   abc  \n\n");
    REQUIRE(p.message.status == ParseStatus::complete);
    CHECK(p.message.headers[0].name == "Call-ID");
    CHECK(p.message.headers[0].value == "abc");
    CHECK(p.message.headers[0].value_offset == 16 + 13);
}

TEST_CASE("the body is Content-Length bytes, or without it the rest", "[message]") {
    Parsed with("SIP/2.0 380 Alternative Service\nContent-Length: 4\n\nabcdEXTRA");
    REQUIRE(with.message.status == ParseStatus::complete);
    CHECK(with.message.body == "abcd");
    Parsed without("SIP/2.0 380 Alternative Service\nCall-ID: a\n\nabcd");
    CHECK(without.message.body == "abcd");
}

TEST_CASE("two Content-Length values make the message unreadable only when they differ", "[message]") {
    // nobody can tell where the body ends (RFC 4475 3.3.9)
    Parsed differ("SIP/2.0 200 OK\nContent-Length: 4\nCall-ID: a\nl: 2\n\nabcd");
    CHECK(differ.message.status == ParseStatus::malformed);
    REQUIRE(differ.message.error != nullptr);
    CHECK(std::string(differ.message.error) == "two Content-Length values that differ");
    // the same length twice frames the message as once
    Parsed same("SIP/2.0 200 OK\nContent-Length: 4\nCall-ID: a\nl: 04\n\nabcdEXTRA");
    REQUIRE(same.message.status == ParseStatus::complete);
    CHECK(same.message.body == "abcd");
}

TEST_CASE("a body the capture cut short is read as far as it was kept", "[message]") {
    // A snapshot length cuts the frame, not the message that was sent: with
    // its header section whole the message can be read, and its body is
    // what the capture kept.
    const std::string cut = crlf("SIP/2.0 200 OK\nContent-Length: 10\n\nabc");
    Message m;
    parse_message(cut, m, nullptr, true);
    CHECK(m.status == ParseStatus::complete);
    CHECK(m.body == "abc");
    CHECK(m.body_cut);
    // the same bytes as they arrived: the sender's message is short (18.3)
    parse_message(cut, m);
    CHECK(m.status == ParseStatus::incomplete);
    CHECK_FALSE(m.body_cut);
    // a header section cut short stays unreadable: any header may be the one lost
    const std::string cut_in_headers = crlf("SIP/2.0 200 OK\nContent-Length: 10\nCont");
    parse_message(cut_in_headers, m, nullptr, true);
    CHECK(m.status == ParseStatus::incomplete);
    CHECK_FALSE(m.body_cut);
    // a body kept whole, or one without Content-Length, is not cut
    const std::string whole = crlf("SIP/2.0 200 OK\nContent-Length: 3\n\nabc");
    parse_message(whole, m, nullptr, true);
    CHECK(m.status == ParseStatus::complete);
    CHECK_FALSE(m.body_cut);
    const std::string no_length = crlf("SIP/2.0 200 OK\nCall-ID: a\n\nabc");
    parse_message(no_length, m, nullptr, true);
    CHECK(m.status == ParseStatus::complete);
    CHECK(m.body == "abc");
    CHECK_FALSE(m.body_cut);
}

TEST_CASE("incomplete is kept apart from malformed", "[message]") {
    SECTION("body shorter than Content-Length") {
        Parsed p("SIP/2.0 200 OK\nContent-Length: 10\n\nabc");
        CHECK(p.message.status == ParseStatus::incomplete);
        CHECK(std::string(p.message.error) == "body is shorter than Content-Length");
    }
    SECTION("no blank line after the headers") {
        Parsed p("SIP/2.0 200 OK\nCall-ID: a\n");
        CHECK(p.message.status == ParseStatus::incomplete);
    }
    SECTION("a header line without colon is malformed, with its offset") {
        Parsed p("SIP/2.0 200 OK\nCall-ID a\n\n");
        CHECK(p.message.status == ParseStatus::malformed);
        CHECK(p.message.error_offset == 16);
    }
    SECTION("a status code that is not three digits") {
        Parsed p("SIP/2.0 20 OK\n\n");
        CHECK(p.message.status == ParseStatus::malformed);
    }
    SECTION("a Content-Length that is not a number") {
        Parsed p("SIP/2.0 200 OK\nContent-Length: ten\n\n");
        CHECK(p.message.status == ParseStatus::malformed);
    }
    SECTION("a request line without SIP version") {
        Parsed p("INVITE sip:a@b\n\n");
        CHECK(p.message.status == ParseStatus::malformed);
    }
}

TEST_CASE("every truncation of a message is incomplete or malformed, never a crash", "[message]") {
    const std::string full = sipresp::test::crlf(
        "SIP/2.0 302 Moved\nContact: \"A, B\" <sip:a@b>;q=0.5\nContent-Length: 3\n\nabc");
    Message m;
    for (std::size_t n = 0; n < full.size(); ++n) {
        // a heap copy of exactly n bytes, so an over-read is caught by ASan
        std::unique_ptr<char[]> copy(new char[n ? n : 1]);
        std::memcpy(copy.get(), full.data(), n);
        parse_message(std::string_view(copy.get(), n), m);
        INFO("length " << n);
        CHECK(m.status != ParseStatus::complete);
    }
    parse_message(full, m);
    CHECK(m.status == ParseStatus::complete);
}

TEST_CASE("bare LF line ends are accepted", "[message]") {
    const std::string text = "SIP/2.0 200 OK\nCall-ID: a\n\n";
    Message m;
    parse_message(text, m);
    CHECK(m.status == ParseStatus::complete);
    CHECK(m.find(HeaderId::call_id)->value == "a");
}

TEST_CASE("a message cut short says where (the line it stops in, or its end)", "[message]") {
    // A TCP segment whose next was never captured ends mid-line: the note
    // points at the line that is not whole, which the tree highlights.
    const std::string head = "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n";  // 24 + 36 bytes
    Message m;
    const std::string cut = head + "To: servic";
    parse_message(cut, m);
    CHECK(m.status == ParseStatus::incomplete);
    CHECK(std::string(m.error) == "header line is not terminated");
    CHECK(m.error_offset == 60);
    // folded: the continuation line it stops in
    const std::string folded = head + "To: a\r\n  b";
    parse_message(folded, m);
    CHECK(m.status == ParseStatus::incomplete);
    CHECK(m.error_offset == 60 + 7);
    // every line whole, the blank line missing: its end
    parse_message(head, m);
    CHECK(std::string(m.error) == "header section has no closing blank line");
    CHECK(m.error_offset == 60);
    // a start line not whole: the message's first byte
    const std::string start = "INVITE sip:a@b SIP";
    parse_message(start, m);
    CHECK(std::string(m.error) == "start line is not terminated");
    CHECK(m.error_offset == 0);
}

TEST_CASE("a header name is a token (25.1), and a line that breaks this says how", "[message]") {
    const auto error_of = [](std::string_view line) -> std::string {
        const Parsed p("SIP/2.0 200 OK\nCall-ID: a\n" + std::string(line) + "\nCSeq: 1 INVITE\n\n");
        if (p.message.status == ParseStatus::complete) return "";
        CHECK(p.message.status == ParseStatus::malformed);
        CHECK(p.message.error_offset == 16 + 12);  // the line's start
        return p.message.error;
    };
    // every token character is allowed in a name the table does not know
    CHECK(error_of("X-aZ09.!%*_+`'~: v").empty());
    CHECK(error_of("via\t: v").empty());
    CHECK(error_of("v:v").empty());
    CHECK(error_of("Foo Bar: v") == "header name is not a token");
    CHECK(error_of("Fo@o: v") == "header name is not a token");
    CHECK(error_of("Vi\xc3\xa1: v") == "header name is not a token");
    CHECK(error_of("Via\x01: v") == "header name is not a token");
    CHECK(error_of("Call ID: v") == "header name is not a token");
    CHECK(error_of(": v") == "header line has no name");
    CHECK(error_of("\"x\": v") == "header line has no name");
    CHECK(error_of("@: v") == "header line has no name");
    CHECK(error_of("NoColon v") == "header line has no colon");
    CHECK(error_of("Via") == "header line has no colon");
    // a colon on the continuation line does not make a name of the first
    CHECK(error_of("Foo\n : v") == "header name is not a token");
}

namespace {
ReadExtent never(const Message&) { return ReadExtent::start_line; }
ReadExtent always(const Message&) { return ReadExtent::whole; }
ReadExtent keys(const Message&) { return ReadExtent::transaction_keys; }
ReadExtent responses_only(const Message& m) { return m.is_request ? ReadExtent::start_line : ReadExtent::whole; }
}  // namespace

TEST_CASE("a caller may stop after the start line: nothing after it is looked at", "[message]") {
    // the header section is broken: reading it would say so
    const std::string text = sipresp::test::crlf("SIP/2.0 180 Ringing\nCall-ID a\n\n");
    Message m;
    parse_message(text, m, never);
    CHECK(m.status == ParseStatus::complete);
    CHECK(m.extent == ReadExtent::start_line);
    CHECK(m.error == nullptr);
    CHECK_FALSE(m.is_request);
    CHECK(m.status_code == 180);
    CHECK(m.reason == "Ringing");
    CHECK(m.start_line_length == 19);
    CHECK(m.headers.empty());
    CHECK(m.body.empty());
    CHECK(m.find(HeaderId::call_id) == nullptr);
    // the same bytes read on
    parse_message(text, m, responses_only);
    CHECK(m.extent == ReadExtent::whole);
    CHECK(m.status == ParseStatus::malformed);
    CHECK(std::string(m.error) == "header line has no colon");
    CHECK(m.error_offset == 21);  // "SIP/2.0 180 Ringing\r\n" is 21 bytes
    // and a request is asked about with its method known
    const std::string request = sipresp::test::crlf("INVITE sip:a@b SIP/2.0\nCall-ID a\n\n");
    parse_message(request, m, responses_only);
    CHECK(m.extent == ReadExtent::start_line);
    CHECK(m.method == "INVITE");
    CHECK(m.request_uri == "sip:a@b");
}

TEST_CASE("asked for the transaction keys, parse_message stops after the last of Via, From, To, Call-ID, CSeq",
          "[message]") {
    // the line after the keys is broken: reading it would say so
    const std::string text = sipresp::test::crlf(
        "BYE sip:bob@192.0.2.4 SIP/2.0\nVia: SIP/2.0/UDP pc33.example.com;branch=z9hG4bKnashds10\n"
        "Max-Forwards: 70\nFrom: Alice <sip:alice@example.com>;tag=1928301774\nCall-ID: a84b4c76e66710\n"
        "v: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2\nt: Bob <sip:bob@example.com>;tag=a6c85cf\n"
        "CSeq: 231 BYE\nSubject without a colon\nContent-Length: 0\n\n");
    Message m;
    parse_message(text, m, keys);
    CHECK(m.status == ParseStatus::complete);
    CHECK(m.error == nullptr);
    CHECK(m.extent == ReadExtent::transaction_keys);
    // everything up to CSeq, the compact forms and the second Via included
    REQUIRE(m.headers.size() == 7);
    CHECK(m.headers.back().id == HeaderId::cseq);
    CHECK(m.find(HeaderId::via) == &m.headers[0]);
    CHECK(m.count(HeaderId::via) == 2);
    CHECK(m.find(HeaderId::to)->value == "Bob <sip:bob@example.com>;tag=a6c85cf");
    CHECK(m.find(HeaderId::content_length) == nullptr);
    CHECK_FALSE(m.has_content_length);
    CHECK(m.body.empty());
    // the same bytes read whole
    parse_message(text, m);
    CHECK(m.status == ParseStatus::malformed);
    CHECK(std::string(m.error) == "header line has no colon");
}

TEST_CASE("asked for the transaction keys, a message without one of them is read whole", "[message]") {
    // no To: the section is read to its end, body included
    const std::string no_to = sipresp::test::crlf(
        "OPTIONS sip:bob@example.com SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
        "From: <sip:a@example.com>;tag=1\nCall-ID: x\nCSeq: 1 OPTIONS\nContent-Length: 3\n\nabc");
    Message m;
    parse_message(no_to, m, keys);
    CHECK(m.status == ParseStatus::complete);
    CHECK(m.extent == ReadExtent::whole);
    CHECK(m.headers.size() == 5);
    CHECK(m.has_content_length);
    CHECK(m.body == "abc");
    // and a broken line there is found, wherever it is
    const std::string broken = sipresp::test::crlf(
        "OPTIONS sip:bob@example.com SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
        "From: <sip:a@example.com>;tag=1\nCall-ID: x\nCSeq: 1 OPTIONS\nSubject without a colon\n\n");
    parse_message(broken, m, keys);
    CHECK(m.status == ParseStatus::malformed);
    CHECK(std::string(m.error) == "header line has no colon");
}

TEST_CASE("asked to read on, parse_message reads what it reads unasked", "[message]") {
    const char* const texts[] = {
        "SIP/2.0 302 Moved\nContact: <sip:a@b>;q=0.5\ni: c1\nContent-Length: 3\n\nabc",
        "\n\nINVITE sip:bob@example.com SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nl: 0\n\n",
        "SIP/2.0 200 OK\nCall-ID: a\n",                 // incomplete header section
        "SIP/2.0 200 OK\nContent-Length: ten\n\n",      // malformed header section
        "SIP/2.0 20 OK\n\n",                            // malformed start line
        "SIP/2.0 200 OK",                               // start line not terminated
        "INVITE sip:a@b\n\n",                           // request line without version
        "\r\n",                                         // keep-alive only
    };
    for (const char* text : texts) {
        const std::string bytes = sipresp::test::crlf(text);
        INFO(text);
        Message unasked, asked, stopped, keyed;
        parse_message(bytes, unasked);
        parse_message(bytes, asked, always);
        parse_message(bytes, stopped, never);
        parse_message(bytes, keyed, keys);  // none of these has all five keys
        CHECK(keyed.status == unasked.status);
        CHECK(keyed.error_offset == unasked.error_offset);
        CHECK(keyed.headers.size() == unasked.headers.size());
        CHECK(keyed.body == unasked.body);
        CHECK(asked.status == unasked.status);
        CHECK(asked.extent == ReadExtent::whole);
        CHECK(unasked.extent == ReadExtent::whole);
        CHECK(asked.error_offset == unasked.error_offset);
        CHECK((asked.error == nullptr) == (unasked.error == nullptr));
        if (unasked.error) CHECK(std::string(asked.error) == unasked.error);
        CHECK(asked.is_request == unasked.is_request);
        CHECK(asked.status_code == unasked.status_code);
        CHECK(asked.method == unasked.method);
        CHECK(asked.request_uri_offset == unasked.request_uri_offset);
        CHECK(asked.start_line_offset == unasked.start_line_offset);
        CHECK(asked.headers.size() == unasked.headers.size());
        CHECK(asked.body == unasked.body);
        CHECK(asked.has_content_length == unasked.has_content_length);
        // stopping after the start line changes nothing about the start line
        CHECK((stopped.extent == ReadExtent::start_line) == (stopped.status == ParseStatus::complete));
        CHECK(stopped.is_request == unasked.is_request);
        CHECK(stopped.status_code == unasked.status_code);
        CHECK(stopped.start_line_offset == unasked.start_line_offset);
        if (stopped.status != ParseStatus::complete) CHECK(stopped.error_offset == unasked.error_offset);
    }
}
