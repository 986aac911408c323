#!/bin/sh
# The README's test command: set up, build, run every test (Catch2 unit
# tests and tshark tests over pcaps/).
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup-debian.sh
sh scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"
