#include "stale_build.h"

#include <cstdio>
#include <cstdlib>
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

void exit_if_stale(const char* program, const char* source_dir) {
    const std::string changed = source_newer_than("/proc/self/exe", source_dir);
    if (changed.empty() || std::getenv("SIPRESP_FUZZ_STALE_OK")) return;
    std::fprintf(stderr,
                 "%s: %s changed after this binary was built, so it would fuzz old code.\n"
                 "Run `cmake --build` on this build folder first (or set SIPRESP_FUZZ_STALE_OK=1).\n",
                 program, changed.c_str());
    std::exit(2);
}

}  // namespace sipresp::fuzz
