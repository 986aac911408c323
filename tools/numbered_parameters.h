// "p0=v0;p1=v1;..." lists of numbered parameters (or, with '&', URI
// headers), for the Catch2 cases and the core benchmark that compare URIs
// with long lists.
#pragma once

#include <string>

namespace sipresp::tools {

// `count` entries pN=vN joined by `separator`, the last first when `reversed`.
inline std::string numbered_parameters(int count, bool reversed, char separator = ';') {
    std::string out;
    for (int k = 0; k < count; ++k) {
        const int i = reversed ? count - 1 - k : k;
        if (k != 0) out += separator;
        out += "p" + std::to_string(i) + "=v" + std::to_string(i);
    }
    return out;
}

}  // namespace sipresp::tools
