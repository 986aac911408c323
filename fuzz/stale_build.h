// Whether the fuzz binary is older than the code it is meant to fuzz.
// A reused build-fuzz/ keeps its binary until someone runs `cmake --build`
// again, and nothing else tells a fuzz run that it exercised yesterday's
// core: a session once fuzzed a stale binary for a whole run. The build
// touches the binary every time (CMakeLists.txt), so "older" means "not
// built since".
#pragma once

#include <filesystem>
#include <string>

namespace sipresp::fuzz {

// The path (relative to `source_dir`) of a .cpp or .h file under its src/,
// tools/ or fuzz/ folder written after `binary` was, or "" when there is
// none, or when either cannot be read (a binary copied away from its tree
// should still run).
std::string source_newer_than(const std::filesystem::path& binary, const std::filesystem::path& source_dir);

// Ends the process (exit 2, naming the changed file) when this binary is
// older than a source under `source_dir`, unless SIPRESP_FUZZ_STALE_OK is
// set: every fuzz target calls it as it starts.
void exit_if_stale(const char* program, const char* source_dir);

}  // namespace sipresp::fuzz
