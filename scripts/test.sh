#!/bin/sh
# The README's test command: set up, build, run every test (Catch2 unit
# tests and tshark tests over pcaps/), then the Catch2 tests once more with
# the core built under AddressSanitizer and UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup-debian.sh
sh scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"
# Undefined behaviour that happens to work (a misaligned reference, an
# overflow) fails only here: the tables' 2-byte-aligned values did (e2183fc).
# The core, the unit tests and the fuzz corpus only, no plugin and no
# tshark: the whole sanitized run is scripts/test-sanitized.sh.
sanitized=${BUILD_DIR_SANITIZED_UNIT:-build-sanitized-unit}
cmake -S . -B "$sanitized" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIPRESP_SANITIZE=ON -DSIPRESP_BUILD_PLUGIN=OFF \
    -DSIPRESP_BUILD_TESTS=ON >/dev/null
cmake --build "$sanitized" --target sipresp_unit_tests sipresp_fuzz_replay -j"$(nproc)"
export ASAN_OPTIONS=abort_on_error=1:halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
"$sanitized/tests/sipresp_unit_tests"
# the fuzzer's saved corpus, where a broken path shows as a sanitizer report
python3 tests/fuzz_replay.py "$sanitized/sipresp_fuzz_replay"
