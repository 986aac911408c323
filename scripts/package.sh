#!/bin/sh
# The README's package command: set up, build, and make the Debian package
# build/wireshark-plugin-sipresp_<version>_<arch>.deb (CPack), then
# print its name. Install it with: apt install ./build/<that file>
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup-debian.sh
sh scripts/build.sh >/dev/null
build=${BUILD_DIR:-build}
(cd "$build" && cpack -G DEB >/dev/null)
ls "$build"/*.deb
