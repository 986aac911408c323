// The RFC torture messages under tests/unit/ (rfc4475/, rfc5118/): one file
// per message, read as the folder's README says: each line end is CRLF, and
// <hex>..</hex> holds bytes the text cannot show, as hex digit pairs
// (whitespace between them is layout).
#pragma once

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "catch.h"
#include "header_values.h"
#include "message.h"
#include "name_addr.h"
#include "transaction.h"

namespace sipresp::test {

inline int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// A file's text as message bytes.
inline std::string message_bytes(const std::string& text) {
    std::string out;
    constexpr std::string_view open = "<hex>", close = "</hex>";
    std::size_t i = 0;
    while (i < text.size()) {
        if (text.compare(i, open.size(), open) == 0) {
            const std::size_t end = text.find(close, i);
            REQUIRE(end != std::string::npos);
            int high = -1;
            for (std::size_t k = i + open.size(); k < end; ++k) {
                if (text[k] == ' ' || text[k] == '\n') continue;
                const int d = hex_digit(text[k]);
                REQUIRE(d >= 0);
                if (high < 0) {
                    high = d;
                } else {
                    out += static_cast<char>(high * 16 + d);
                    high = -1;
                }
            }
            REQUIRE(high < 0);
            i = end + close.size();
            continue;
        }
        if (text[i] == '\n') out += '\r';
        out += text[i++];
    }
    return out;
}

// The bytes of message `name` in `folder` (a directory of the source tree).
inline std::string rfc_message_bytes(std::string_view folder, std::string_view name) {
    const std::string path = std::string(folder) + "/" + std::string(name) + ".txt";
    std::ifstream file(path, std::ios::binary);
    INFO(path);
    REQUIRE(file.good());
    std::ostringstream text;
    text << file.rdbuf();
    return message_bytes(text.str());
}

// Every element of every header with this id, in message order.
inline std::vector<std::string_view> header_elements(const Message& m, HeaderId id) {
    std::vector<std::string_view> all;
    for (const Header& h : m.headers) {
        if (h.id != id) continue;
        ListSplitter list(h.value);
        std::string_view element;
        std::size_t offset = 0;
        while (list.next(element, offset)) all.push_back(element);
    }
    return all;
}

// Every Contact value, read.
inline std::vector<NameAddr> contacts_of(const Message& m) {
    std::vector<NameAddr> all;
    for (std::string_view e : header_elements(m, HeaderId::contact)) all.push_back(parse_name_addr(e));
    return all;
}

// One message of a folder, owning its bytes, read whole.
struct RfcMessage {
    std::string bytes;
    Message message;
    RfcMessage(std::string_view folder, std::string_view name) : bytes(rfc_message_bytes(folder, name)) {
        parse_message(bytes, message);
    }
    // the first header with this id's value, empty when there is none
    std::string_view value(HeaderId id) const {
        const Header* h = message.find(id);
        return h ? h->value : std::string_view{};
    }
    std::vector<std::string_view> elements(HeaderId id) const { return header_elements(message, id); }
    std::vector<NameAddr> contacts() const { return contacts_of(message); }
};

inline void check_cseq(const Message& m, std::uint32_t number, std::string_view method) {
    const CSeq c = parse_cseq(m);
    REQUIRE(c.valid);
    CHECK(c.number == number);
    CHECK(c.method == method);
}

}  // namespace sipresp::test
