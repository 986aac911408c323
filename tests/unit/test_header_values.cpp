// Comma lists, quoted strings and parameters inside header values (7.3.1, 25.1).
#include "catch.h"

#include <string>
#include <vector>

#include "header_values.h"

using namespace sipresp;

static std::vector<std::string> split(std::string_view value) {
    std::vector<std::string> out;
    ListSplitter list(value);
    std::string_view e;
    std::size_t offset = 0;
    while (list.next(e, offset)) out.emplace_back(e);
    return out;
}

TEST_CASE("a comma inside a quoted display name does not split", "[values]") {
    CHECK(split(R"("Smith, Bob" <sip:bob@a>, <sip:c@d>)") ==
          std::vector<std::string>{R"("Smith, Bob" <sip:bob@a>)", "<sip:c@d>"});
}

TEST_CASE("an escaped quote does not end the quoted string", "[values]") {
    CHECK(split(R"("a \", b" <sip:x@y>, sip:z@w)") ==
          std::vector<std::string>{R"("a \", b" <sip:x@y>)", "sip:z@w"});
}

TEST_CASE("a comma inside <...> does not split", "[values]") {
    CHECK(split("<sip:a,b@h>;q=1, <sip:c@d>") == std::vector<std::string>{"<sip:a,b@h>;q=1", "<sip:c@d>"});
}

TEST_CASE("empty list elements are skipped and offsets point at each element", "[values]") {
    ListSplitter list(" a ,, b");
    std::string_view e;
    std::size_t offset = 0;
    REQUIRE(list.next(e, offset));
    CHECK(e == "a");
    CHECK(offset == 1);
    REQUIRE(list.next(e, offset));
    CHECK(e == "b");
    CHECK(offset == 6);
    CHECK_FALSE(list.next(e, offset));
}

TEST_CASE("parameters: names case-insensitive, values trimmed, flags without value", "[values]") {
    Param p;
    REQUIRE(find_param("Q = 0.5 ;EXPIRES=60;lr", "q", p));
    CHECK(p.value == "0.5");
    REQUIRE(find_param("Q = 0.5 ;EXPIRES=60;lr", "expires", p));
    CHECK(p.value == "60");
    REQUIRE(find_param("Q = 0.5 ;EXPIRES=60;lr", "lr", p));
    CHECK_FALSE(p.has_value);
    CHECK_FALSE(find_param("q=1", "expires", p));
}

TEST_CASE("find_param finds what ParamSplitter lists: an empty entry is no parameter", "[values]") {
    // ";;", a trailing ';' or an empty list hold no parameter, not even one
    // with an empty name; "=v" is one, whose name is empty
    Param p;
    CHECK_FALSE(find_param("", "", p));
    CHECK_FALSE(find_param("a=1;;b", "", p));
    CHECK_FALSE(find_param("a=1; ", "", p));
    REQUIRE(find_param("a=1;=v", "", p));
    CHECK((p.name.empty() && p.has_value && p.value == "v"));
    REQUIRE(find_param("=", "", p));
    CHECK((p.has_value && p.value.empty()));
}

TEST_CASE("a semicolon inside a quoted parameter value does not split", "[values]") {
    Param p;
    REQUIRE(find_param(R"(expires="Thu, 01 Dec 1994; x";q=0.1)", "q", p));
    CHECK(p.value == "0.1");
}

TEST_CASE("a parameter splits at its first '=' and keeps a quoted value whole", "[values]") {
    ParamSplitter params(R"(purpose="a=b;c" ; lr ;;maddr= 192.0.2.1 ;x==y)");
    Param p;
    REQUIRE(params.next(p));
    CHECK((p.name == "purpose" && p.value == R"("a=b;c")" && p.has_value));
    REQUIRE(params.next(p));
    CHECK((p.name == "lr" && p.value.empty() && !p.has_value));
    REQUIRE(params.next(p));  // the empty one between ";;" is skipped
    CHECK((p.name == "maddr" && p.value == "192.0.2.1" && p.offset == 23));
    REQUIRE(params.next(p));
    CHECK((p.name == "x" && p.value == "=y"));
    CHECK_FALSE(params.next(p));
}

TEST_CASE("find_param matches whole names only, past quoted separators", "[values]") {
    Param p;
    // a longer name that starts with the wanted one is another parameter
    REQUIRE(find_param("branches=1; branch2=2 ;BRANCH = z9hG4bK7 ;rport", "branch", p));
    CHECK((p.name == "BRANCH" && p.value == "z9hG4bK7" && p.offset == 23));
    // a separator inside a quoted value does not start a parameter
    REQUIRE(find_param(R"(x="a;tag=no";tag=yes)", "tag", p));
    CHECK(p.value == "yes");
    REQUIRE(find_param("lr ; tag", "tag", p));
    CHECK((p.name == "tag" && !p.has_value));
    CHECK_FALSE(find_param("tags=1;ta=2;t ag=3", "tag", p));
    CHECK_FALSE(find_param("", "tag", p));
    // URI headers use '&'
    REQUIRE(find_param("Subject=hi&Priority=urgent", "priority", p, '&'));
    CHECK(p.value == "urgent");
}

TEST_CASE("unquote resolves quoted-pairs", "[values]") {
    CHECK(unquote(R"("Bob \"B\" \\ Smith")") == R"(Bob "B" \ Smith)");
    CHECK(unquote("  plain ") == "plain");
}

TEST_CASE("an unclosed quote consumes the rest and says so", "[values]") {
    bool closed = true;
    CHECK(skip_quoted(R"("abc)", 0, &closed) == 4);
    CHECK_FALSE(closed);
}

TEST_CASE("find_param on a first parameter written name=value", "[values]") {
    // the spelling of nearly every tag and branch, and its neighbours
    Param p;
    REQUIRE(find_param("tag=a7f3", "tag", p));
    CHECK((p.name == "tag" && p.value == "a7f3" && p.has_value && p.offset == 0));
    REQUIRE(find_param("TAG=a7f3;x=1", "tag", p));
    CHECK((p.name == "TAG" && p.value == "a7f3"));
    REQUIRE(find_param("tag=;x=1", "tag", p));
    CHECK((p.has_value && p.value.empty()));
    REQUIRE(find_param("tag= a7f3 ;x=1", "tag", p));  // EQUAL and SEMI take whitespace (25.1)
    CHECK(p.value == "a7f3");
    REQUIRE(find_param("tag=\"a;b\";x=1", "tag", p));  // a quoted value stays whole
    CHECK(p.value == "\"a;b\"");
    REQUIRE(find_param("tag=a7f3&x=1", "tag", p, '&'));
    CHECK(p.value == "a7f3");
    REQUIRE(find_param("tag=a;b", "tag", p, '&'));  // ';' separates nothing here
    CHECK(p.value == "a;b");
    REQUIRE(find_param("tagx=1;tag=2", "tag", p));
    CHECK((p.value == "2" && p.offset == 7));
    REQUIRE(find_param("ta=1;tag=2", "tag", p));
    CHECK(p.value == "2");
}

TEST_CASE("a value without a comma is one element, trimmed, with its offset", "[values]") {
    ListSplitter list("  \"Bob\" <sip:bob@a;lr>;q=1 \t");
    std::string_view e;
    std::size_t offset = 0;
    REQUIRE(list.next(e, offset));
    CHECK(e == "\"Bob\" <sip:bob@a;lr>;q=1");
    CHECK(offset == 2);
    CHECK_FALSE(list.next(e, offset));
    CHECK(split("").empty());
    CHECK(split(" \t ").empty());
    CHECK(split("sip:a@b") == std::vector<std::string>{"sip:a@b"});
}
