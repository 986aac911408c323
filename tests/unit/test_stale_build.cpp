// The fuzz binary's check that it was built after every source it fuzzes
// (fuzz/stale_build.h): a tree of files with chosen times, and the answer
// each layout must give.
#include "catch.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "stale_build.h"

namespace fs = std::filesystem;
using sipresp::fuzz::source_newer_than;

namespace {

// A scratch source tree with a "binary" in it, removed at the end.
struct Tree {
    fs::path root = fs::temp_directory_path() / ("sipresp_stale_" + std::to_string(::getpid()));
    fs::file_time_type built = fs::file_time_type::clock::now();

    Tree() {
        fs::remove_all(root);
        write("build/sipresp_fuzz", built);  // write() makes the folders a file needs
    }
    ~Tree() { fs::remove_all(root); }

    // A file under the tree last written at `when`.
    void write(const std::string& name, fs::file_time_type when) const {
        fs::create_directories((root / name).parent_path());
        std::ofstream(root / name) << "x";
        fs::last_write_time(root / name, when);
    }
    std::string check() const { return source_newer_than(root / "build/sipresp_fuzz", root); }
};

constexpr auto kHour = std::chrono::hours(1);

}  // namespace

TEST_CASE("A fuzz binary built after its sources is fresh", "[fuzz]") {
    Tree tree;
    tree.write("src/uri.cpp", tree.built - kHour);
    tree.write("fuzz/fuzz_core.cpp", tree.built - 2 * kHour);
    CHECK(tree.check().empty());
}

TEST_CASE("A core, tools or fuzz source written after the binary makes it stale", "[fuzz]") {
    Tree tree;
    tree.write("src/uri.cpp", tree.built - kHour);
    SECTION("a core file") {
        tree.write("src/message.h", tree.built + kHour);
        CHECK(tree.check() == "src/message.h");
    }
    SECTION("the fuzz target itself") {
        tree.write("fuzz/fuzz_core.cpp", tree.built + kHour);
        CHECK(tree.check() == "fuzz/fuzz_core.cpp");
    }
    SECTION("a helper under tools/, in a folder of its own") {
        tree.write("tools/deep/named_frames.h", tree.built + kHour);
        CHECK(tree.check() == "tools/deep/named_frames.h");
    }
}

TEST_CASE("Newer files that are not the fuzz target's sources do not make it stale", "[fuzz]") {
    Tree tree;
    tree.write("src/uri.cpp", tree.built - kHour);
    tree.write("src/notes.txt", tree.built + kHour);        // not a source
    tree.write("plugin/render.cpp", tree.built + kHour);    // not built into the fuzz target
    tree.write("README.md", tree.built + kHour);
    CHECK(tree.check().empty());
}

TEST_CASE("A binary or source tree that cannot be read is not called stale", "[fuzz]") {
    Tree tree;
    tree.write("src/uri.cpp", tree.built + kHour);
    // the binary copied away from its build folder: no time to compare with
    CHECK(source_newer_than(tree.root / "build/moved_away", tree.root).empty());
    // the sources not where the build said they were
    CHECK(source_newer_than(tree.root / "build/sipresp_fuzz", tree.root / "gone").empty());
}
