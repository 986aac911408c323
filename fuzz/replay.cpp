// Runs fuzz_core.cpp's target over saved inputs without libFuzzer, so that
// any compiler builds it and the test command replays the fuzzer's corpus
// (fuzz/corpus.tar.xz, tests/fuzz_replay.py) under ASan and UBSan on every
// run: a path the fuzzer once reached that breaks again fails CI, not a
// support engineer's tshark.
//   sipresp_fuzz_replay FILE_OR_DIR...
// Prints how many inputs it ran; a broken invariant stops it (the target's
// __builtin_trap, or a sanitizer report). With SIPRESP_REPLAY_VERBOSE set it
// names each input before running it, so the last name printed is the one
// that broke.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerInitialize(int*, char***);
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

// The files to run, directories expanded one level deep and sorted, so
// that a failure names the same input on every run.
std::vector<std::filesystem::path> inputs(int argc, char** argv) {
    std::vector<std::filesystem::path> found;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg(argv[i]);
        std::error_code error;
        if (!std::filesystem::is_directory(arg, error)) {
            found.push_back(arg);
            continue;
        }
        std::vector<std::filesystem::path> inside;
        for (const auto& entry : std::filesystem::directory_iterator(arg, error))
            if (entry.is_regular_file(error)) inside.push_back(entry.path());
        std::sort(inside.begin(), inside.end());
        found.insert(found.end(), inside.begin(), inside.end());
    }
    return found;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
        return 2;
    }
    LLVMFuzzerInitialize(&argc, &argv);
    const std::vector<std::filesystem::path> files = inputs(argc, argv);
    const bool verbose = std::getenv("SIPRESP_REPLAY_VERBOSE") != nullptr;
    std::size_t ran = 0;
    for (const auto& path : files) {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "cannot read %s\n", path.c_str());
            return 2;
        }
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (verbose) std::fprintf(stderr, "running %s\n", path.c_str());
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        ++ran;
    }
    std::printf("replayed %zu inputs\n", ran);
    return ran == 0 ? 1 : 0;
}
