// The code catalogue (RULES.md section 1).
#include "catch.h"

#include <string>

#include "rules.h"
#include "status_codes.h"

using namespace sipresp;

TEST_CASE("registered 2xx/3xx codes have their IANA names", "[codes]") {
    CHECK(describe_status(200, "BYE").name == "OK");
    CHECK(describe_status(202, "REFER").name == "Accepted");
    CHECK(describe_status(204, "SUBSCRIBE").name == "No Notification");
    CHECK(describe_status(300, "INVITE").name == "Multiple Choices");
    CHECK(describe_status(301, "INVITE").name == "Moved Permanently");
    CHECK(describe_status(302, "INVITE").name == "Moved Temporarily");
    CHECK(describe_status(305, "INVITE").name == "Use Proxy");
    CHECK(describe_status(380, "INVITE").name == "Alternative Service");
    for (int code : {200, 202, 204, 300, 301, 302, 305, 380}) {
        const StatusCodeInfo info = describe_status(code, "INVITE");
        CHECK(info.registered);
        CHECK(info.treated_as == code);
        CHECK_FALSE(info.meaning.empty());
        CHECK_FALSE(info.reference.empty());
    }
}

TEST_CASE("class names", "[codes]") {
    CHECK(describe_status(250, "INVITE").class_name == "Success");
    CHECK(describe_status(399, "INVITE").class_name == "Redirection");
}

TEST_CASE("unregistered codes are treated as x00 of their class (8.1.3.2)", "[codes]") {
    const StatusCodeInfo s = describe_status(299, "INVITE");
    CHECK_FALSE(s.registered);
    CHECK(s.treated_as == 200);
    CHECK(s.name == "OK");
    const StatusCodeInfo r = describe_status(303, "INVITE");
    CHECK_FALSE(r.registered);
    CHECK(r.treated_as == 300);
    CHECK(r.name == "Multiple Choices");
}

TEST_CASE("codes outside 2xx/3xx are not described", "[codes]") {
    CHECK(describe_status(180, "INVITE").code == 0);
    CHECK(describe_status(404, "INVITE").code == 0);
}

TEST_CASE("a 200's meaning cites where its method says what a 2xx means", "[codes]") {
    CHECK(describe_status(200, "INVITE").reference == "RFC 3261 13.2.2.4");  // the 2xx must be ACKed
    CHECK(describe_status(200, "CANCEL").reference == "RFC 3261 9.2");      // the INVITE still ends on its own
    CHECK(describe_status(200, "REGISTER").reference == "RFC 3261 10.3");
    CHECK(describe_status(200, "PUBLISH").reference == "RFC 3903");
    CHECK(describe_status(200, "UPDATE").reference == "RFC 3311");
    // no method of its own: the code's definition
    CHECK(describe_status(200, "ACK").reference == "RFC 3261 21.2.1");
    CHECK(describe_status(200, "FOO").reference == "RFC 3261 21.2.1");
    CHECK(describe_status(200, "").reference == "RFC 3261 21.2.1");
    // only a 200 (or a 2xx read as one) depends on the method
    CHECK(describe_status(302, "PUBLISH").reference == "RFC 3261 21.3.3");
    CHECK(describe_status(299, "CANCEL").reference == "RFC 3261 9.2");
}

TEST_CASE("the meaning of 200 depends on the method (21.2.1)", "[codes]") {
    const std::string invite(describe_status(200, "INVITE").meaning);
    const std::string bye(describe_status(200, "BYE").meaning);
    const std::string cancel(describe_status(200, "CANCEL").meaning);
    const std::string reg(describe_status(200, "REGISTER").meaning);
    CHECK(invite.find("ACK") != std::string::npos);
    CHECK(bye.find("ended") != std::string::npos);
    CHECK(cancel.find("INVITE still gets") != std::string::npos);
    CHECK(reg.find("binding") != std::string::npos);
    CHECK(describe_status(200, "OPTIONS").meaning != describe_status(200, "INVITE").meaning);
    CHECK(std::string(describe_status(200, "FOO").meaning).find("not known") != std::string::npos);
    // no method at all: the response has no readable CSeq (8.1.1.5), which
    // is not the same as a method sipresp does not know
    const std::string no_cseq(describe_status(200, "").meaning);
    CHECK(no_cseq.find("no readable CSeq") != std::string::npos);
    CHECK(no_cseq.find("not known") == std::string::npos);
    // method names are case-sensitive (7.1): "invite" is another method
    CHECK(describe_status(200, "invite").meaning != describe_status(200, "INVITE").meaning);
    // an unregistered 2xx is treated as 200 and so gets the per-method meaning
    CHECK(describe_status(299, "BYE").meaning == describe_status(200, "BYE").meaning);
}

TEST_CASE("each 3xx has its caching policy (21.3)", "[codes]") {
    CHECK(std::string(redirect_policy(302)).find("lifetime") != std::string::npos);
    CHECK(std::string(redirect_policy(305)).find("do not cache") != std::string::npos);
    CHECK(redirect_policy(399) == redirect_policy(300));
    CHECK(redirect_policy(200).empty());
}

TEST_CASE("the rule table is in RuleId order with unique names", "[rules]") {
    const auto rules = all_rules();
    REQUIRE(rules.size() == static_cast<std::size_t>(RuleId::count_));
    for (std::size_t i = 0; i < rules.size(); ++i) {
        CHECK(static_cast<std::size_t>(rules[i].id) == i);
        for (std::size_t j = i + 1; j < rules.size(); ++j) CHECK(rules[i].name != rules[j].name);
    }
    CHECK(rule(RuleId::use_proxy_without_contact).severity == Severity::error);
    CHECK(rule(RuleId::redirect_loop).name == "redirect-loop");
}
