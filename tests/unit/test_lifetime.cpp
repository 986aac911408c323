// delta-seconds, qvalue and the lifetime order (RULES.md section 3).
#include "catch.h"

#include "lifetime.h"

using namespace sipresp;

TEST_CASE("delta-seconds", "[lifetime]") {
    CHECK(parse_delta_seconds("60").valid);
    CHECK(parse_delta_seconds("60").seconds == 60);
    CHECK(parse_delta_seconds(" 0 ").seconds == 0);
    CHECK(parse_delta_seconds("0000000000000000000000007").seconds == 7);
    CHECK_FALSE(parse_delta_seconds("Thu, 01 Dec 1994 16:00:00 GMT").valid);
    CHECK_FALSE(parse_delta_seconds("-1").valid);
    CHECK_FALSE(parse_delta_seconds("").valid);
    CHECK_FALSE(parse_delta_seconds("6 0").valid);
}

TEST_CASE("values above 2^32-1 are clamped (10.2.1.1)", "[lifetime]") {
    const DeltaSeconds edge = parse_delta_seconds("4294967295");
    CHECK(edge.seconds == 4294967295u);
    CHECK_FALSE(edge.clamped);
    const DeltaSeconds over = parse_delta_seconds("4294967296");
    CHECK(over.seconds == 4294967295u);
    CHECK(over.clamped);
    CHECK(parse_delta_seconds("99999999999999999999999999").clamped);
}

TEST_CASE("qvalue grammar: 0 to 1 with at most three decimals", "[lifetime]") {
    CHECK(parse_qvalue("0.7").thousandths == 700);
    CHECK(parse_qvalue("1").thousandths == 1000);
    CHECK(parse_qvalue("1.000").valid);
    CHECK(parse_qvalue("0.001").thousandths == 1);
    CHECK(parse_qvalue("0").thousandths == 0);
    CHECK(parse_qvalue("0.").valid);
    CHECK_FALSE(parse_qvalue("1.5").valid);
    CHECK_FALSE(parse_qvalue("1.001").valid);
    CHECK_FALSE(parse_qvalue("0.1234").valid);
    CHECK_FALSE(parse_qvalue("2").valid);
    CHECK_FALSE(parse_qvalue(".5").valid);
    CHECK_FALSE(parse_qvalue("high").valid);
    CHECK(parse_qvalue("high").thousandths == 1000);
}

TEST_CASE("lifetime: Contact expires, else Expires header, else none", "[lifetime]") {
    const std::string_view header = "120";
    const Lifetime from_param = effective_lifetime("q=0.5;expires=60", &header);
    CHECK(from_param.source == LifetimeSource::contact_expires);
    CHECK(from_param.seconds == 60);
    const Lifetime from_header = effective_lifetime("q=0.5", &header);
    CHECK(from_header.source == LifetimeSource::expires_header);
    CHECK(from_header.seconds == 120);
    const Lifetime none = effective_lifetime("q=0.5", nullptr);
    CHECK(none.source == LifetimeSource::none);
    const Lifetime bad = effective_lifetime("EXPIRES=\"Thu, 01 Dec 1994 16:00:00 GMT\"", nullptr);
    CHECK(bad.source == LifetimeSource::contact_expires);
    CHECK(bad.malformed);
    CHECK(bad.seconds == 3600);
}
