#include "stale_build.h"

#include <system_error>

namespace sipresp::fuzz {

namespace {

bool is_source(const std::filesystem::path& path) {
    const auto ext = path.extension();
    return ext == ".cpp" || ext == ".h";
}

}  // namespace

std::string source_newer_than(const std::filesystem::path& binary, const std::filesystem::path& source_dir) {
    namespace fs = std::filesystem;
    std::error_code error;
    const fs::file_time_type built = fs::last_write_time(binary, error);
    if (error) return "";
    for (const char* folder : {"src", "tools", "fuzz"}) {
        fs::recursive_directory_iterator it(source_dir / folder, error), end;
        if (error) continue;
        for (; it != end; it.increment(error)) {
            if (error) break;
            const fs::path& path = it->path();
            if (!is_source(path)) continue;
            const fs::file_time_type written = fs::last_write_time(path, error);
            if (!error && written > built) return path.lexically_relative(source_dir).string();
            error.clear();
        }
    }
    return "";
}

}  // namespace sipresp::fuzz
