// name-addr / addr-spec values with header parameters (20.10, 25.1).
#include "catch.h"

#include "header_values.h"
#include "name_addr.h"

using namespace sipresp;

TEST_CASE("quoted display name with escapes and a comma", "[name-addr]") {
    const NameAddr n = parse_name_addr(R"("Bob \"B\", Smith" <sip:bob@192.0.2.4;transport=tcp>;q=0.7;expires=60)");
    REQUIRE(n.valid);
    CHECK(n.angle_brackets);
    CHECK(n.display_name() == R"(Bob "B", Smith)");
    CHECK(n.uri_text == "sip:bob@192.0.2.4;transport=tcp");
    CHECK(n.uri.params == "transport=tcp");
    CHECK(n.params == "q=0.7;expires=60");
}

TEST_CASE("unquoted display name", "[name-addr]") {
    const NameAddr n = parse_name_addr("Bob Smith <sip:bob@example.com>");
    REQUIRE(n.valid);
    CHECK(n.display == "Bob Smith");
    CHECK(n.params.empty());
}

TEST_CASE("parameters after a bare addr-spec belong to the header, not the URI", "[name-addr]") {
    const NameAddr n = parse_name_addr("sip:bob@192.0.2.4;q=0.5;expires=30");
    REQUIRE(n.valid);
    CHECK_FALSE(n.angle_brackets);
    CHECK(n.uri_text == "sip:bob@192.0.2.4");
    CHECK(n.uri.params.empty());
    Param q;
    REQUIRE(find_param(n.params, "q", q));
    CHECK(q.value == "0.5");
}

TEST_CASE("URI headers stay in the URI inside angle brackets", "[name-addr]") {
    const NameAddr n = parse_name_addr("<sip:conf@example.com?Subject=weekly%20call&Priority=urgent>;q=0.1");
    REQUIRE(n.valid);
    CHECK(n.uri.headers == "Subject=weekly%20call&Priority=urgent");
    CHECK(n.params == "q=0.1");
}

TEST_CASE("the wildcard Contact", "[name-addr]") {
    const NameAddr n = parse_name_addr(" * ");
    CHECK(n.valid);
    CHECK(n.wildcard);
}

TEST_CASE("IPv6 host inside angle brackets", "[name-addr]") {
    const NameAddr n = parse_name_addr("<sip:[2001:db8::9]:5070>");
    REQUIRE(n.valid);
    CHECK(n.uri.host == "[2001:db8::9]");
    CHECK(n.uri.port == "5070");
}

TEST_CASE("broken name-addrs say what is wrong", "[name-addr]") {
    CHECK_FALSE(parse_name_addr(R"("unterminated <sip:a@b>)").valid);
    CHECK_FALSE(parse_name_addr("<sip:a@b").valid);
    CHECK_FALSE(parse_name_addr("<sip:a@b> junk").valid);
    CHECK_FALSE(parse_name_addr("").valid);
    CHECK(std::string(parse_name_addr("<sip:a@b").error) == "'<' without a closing '>'");
}

TEST_CASE("name_addr_text finds the URI and header parameters the full reader finds", "[name-addr]") {
    // what 20.10 says they are
    CHECK(name_addr_text("<sip:bob@example.com;lr>;tag=t1;x").params == "tag=t1;x");
    CHECK(name_addr_text("  <sip:bob@example.com> ;tag=t1").params == "tag=t1");
    CHECK(name_addr_text("sip:bob@example.com;tag=t1").params == "tag=t1");
    CHECK(name_addr_text("Bob <sip:bob@example.com>;tag=t1").params == "tag=t1");
    CHECK(name_addr_text("\"B;o<b>\" <sip:bob@example.com>;tag=t1").params == "tag=t1");
    CHECK(name_addr_text("<sip:bob@example.com;tag=in>").params.empty());
    CHECK(name_addr_text("<sip:bob@example.com>").params.empty());
    CHECK(name_addr_text("sip:bob@example.com").params.empty());
    CHECK(name_addr_text("<sip:bob@example.com;lr>;tag=t1").uri_text == "sip:bob@example.com;lr");
    CHECK(name_addr_text(" sip:bob@example.com ;tag=t1").uri_text == "sip:bob@example.com");
    CHECK(name_addr_text("\"Bob\" < sip:bob@example.com >").uri_text == "sip:bob@example.com");
    CHECK(name_addr_text("*").uri_text.empty());
    // and, for every value, broken ones included, the same as read_name_addr
    for (const char* v : {"<sip:a@b>;tag=1", "<sip:a@b> \t; tag = 1", "sip:a@b;tag=1", "sip:a b;tag=1",
                          "A <sip:a@b>;tag=1", "A\" <sip:a@b>;tag=1", "\"A\" <sip:a@b>;tag=1",
                          "\"A <sip:a@b>;tag=1", "<sip:a@b;tag=1", "<sip:a@b> x;tag=1", "<sip:a@b>x",
                          "*", "", "  ", ";tag=1", "<>;tag=1", "<sip:a@b>;", "sip:a@b;", "<sip:a@b>>;tag=1",
                          "sip:a@b ;tag=1", "<sip:a@b;x=1>;tag=1", "  <sip:a@b>  ", "<sip:a@b", "<",
                          // quoted display names, read without the full reader
                          "\"A\"<sip:a@b>;tag=1", "\"A\\\"B\" <sip:a@b>;tag=1", "\"A;<b>\" \t<sip:a@b> ;tag=1",
                          "\"A\" x <sip:a@b>;tag=1", "\"A\"", "\"A\" ", "\"A\" <sip:a@b", "\"A\" <sip:a@b> x",
                          "\"A\" <sip:a@b>;", "\"\" <sip:a@b>;tag=1", "\"A\" <>;tag=1", "\"A\\"}) {
        INFO(v);
        const NameAddr full = parse_name_addr(v, UriParsing::text_only);
        const NameAddrText text = name_addr_text(v);
        CHECK(text.params == full.params);
        CHECK(text.uri_text == full.uri_text);
    }
}
