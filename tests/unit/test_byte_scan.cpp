// The delimiter and token scans every header goes through (byte_scan.h).
// They read 16 bytes at a time, so each test slides the interesting byte
// across block edges and the overlapping last block.
#include "catch.h"

#include <string>

#include "byte_scan.h"

using namespace sipresp;

TEST_CASE("find_first_of_bytes finds the first wanted byte wherever it sits", "[scan]") {
    for (std::size_t size = 0; size <= 48; ++size) {
        for (std::size_t at = 0; at < size; ++at) {
            std::string text(size, 'a');
            text[at] = ',';
            INFO("size " << size << ", comma at " << at);
            CHECK(find_first_of_bytes(text, 0, ',') == at);
            CHECK(find_first_of_bytes(text, 0, '<', ',', '"') == at);
            // from just past the comma there is nothing left to find
            CHECK(find_first_of_bytes(text, at + 1, ',') == size);
            // from before it, it is still found, whatever the start
            for (std::size_t from = 0; from <= at; ++from) CHECK(find_first_of_bytes(text, from, ',') == at);
        }
    }
}

TEST_CASE("find_first_of_bytes returns the earliest of several wanted bytes", "[scan]") {
    const std::string text = "<sip:bob@192.0.2.4>;q=0.7;expires=3600, <sip:carol@198.51.100.9>";
    CHECK(find_first_of_bytes(text, 0, ',', '>') == 18);
    CHECK(find_first_of_bytes(text, 19, ',', '"', '<', '>') == 38);
    CHECK(find_first_of_bytes(text, 39, ',', '"', '<', '>') == 40);
    CHECK(find_first_of_bytes(text, 41, ',', '"', '<', '>') == text.size() - 1);
    CHECK(find_first_of_bytes(text, 0, '"') == text.size());
    CHECK(find_first_of_bytes(std::string_view{}, 0, ',') == 0);
}

TEST_CASE("find_first_of_bytes never looks outside its view", "[scan]") {
    // the byte just past the view is a comma: it must not be reported
    const std::string backing = std::string(40, 'x') + ",";
    for (std::size_t size = 0; size <= 40; ++size) {
        const std::string_view view(backing.data() + 40 - size, size);
        INFO("size " << size);
        CHECK(find_first_of_bytes(view, 0, ',') == size);
    }
}

TEST_CASE("skip_token stops at the first byte that is not a token character", "[scan]") {
    // token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") (RFC 3261 25.1)
    const std::string token_bytes = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~";
    for (int byte = 0; byte < 256; ++byte) {
        const char c = static_cast<char>(byte);
        const bool token = token_bytes.find(c) != std::string::npos;
        for (std::size_t at : {0u, 5u, 15u, 16u, 17u, 31u}) {
            std::string text(40, 'k');
            text[at] = c;
            INFO("byte " << byte << " at " << at);
            CHECK(skip_token(text, 0) == (token ? text.size() : at));
        }
    }
}

TEST_CASE("skip_token on header lines", "[scan]") {
    const std::string message = "Contact : <sip:a@b>\r\nv:x\r\nMax-Forwards: 70\r\n";
    CHECK(skip_token(message, 0) == 7);   // the space before the colon
    CHECK(skip_token(message, 21) == 22); // "v"
    CHECK(skip_token(message, 26) == 38); // "Max-Forwards"
    CHECK(skip_token(std::string_view("Via"), 0) == 3);
    CHECK(skip_token(std::string_view("Vi\xe1"), 0) == 2);  // a byte above 0x7f is no token
}
