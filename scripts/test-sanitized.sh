#!/bin/sh
# Every test again with the core and the plugin built with AddressSanitizer
# and UndefinedBehaviorSanitizer: the Catch2 tests directly, the tshark tests
# with the sanitizer runtimes preloaded into tshark (which is not built with
# them). Any report fails the run. Needs what scripts/test.sh sets up.
set -eu
cd "$(dirname "$0")/.."
build=${BUILD_DIR_SANITIZED:-build-asan}
BUILD_DIR=$build CMAKE_ARGS="-DSIPRESP_SANITIZE=ON -DSIPRESP_BUILD_PLUGIN=ON -DSIPRESP_BUILD_TESTS=ON" sh scripts/build.sh
SIPRESP_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
# tshark's own allocations are not ours to judge: no leak report
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:halt_on_error=1
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export SIPRESP_PRELOAD ASAN_OPTIONS UBSAN_OPTIONS
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
