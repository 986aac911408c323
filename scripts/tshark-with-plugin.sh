#!/bin/sh
# Runs tshark with the freshly built plugin loaded from a personal plugin
# folder. As root Wireshark ignores personal plugins, so then tshark runs as
# nobody, with a HOME it can read and copies of the capture files it is given.
#   scripts/tshark-with-plugin.sh [tshark arguments...]   (-r FILE is copied)
# Env: SIPRESP_PLUGIN (default build/plugin/sipresp.so); SIPRESP_PROFILE, a
# Wireshark profile folder installed as that profile (use it with -C NAME); SIPRESP_PRELOAD,
# libraries tshark preloads (the ASan/UBSan runtimes for a sanitized plugin);
# SIPRESP_VALGRIND=1 runs tshark under valgrind memcheck (scripts/memcheck.sh);
# SIPRESP_PROGRAM, another Wireshark program in tshark's place (sharkd: the
# GUI's way of reading a capture, tests/tshark/test_sharkd.py)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
plugin=${SIPRESP_PLUGIN:-$top/build/plugin/sipresp.so}
[ -f "$plugin" ] || { echo "no plugin at $plugin: build first (sh scripts/build.sh)" >&2; exit 2; }
abi=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
home=$(mktemp -d /tmp/sipresp-home.XXXXXX)
trap 'rm -rf "$home"' EXIT INT TERM
mkdir -p "$home/.local/lib/wireshark/plugins/$abi/epan"
# Always under the name the package installs, so that a build copied elsewhere
# for a comparison (SIPRESP_PLUGIN=/tmp/other.so) loads as the same plugin.
cp "$plugin" "$home/.local/lib/wireshark/plugins/$abi/epan/sipresp.so"
if [ -n "${SIPRESP_PROFILE:-}" ]; then
  mkdir -p "$home/.config/wireshark/profiles"
  cp -r "$SIPRESP_PROFILE" "$home/.config/wireshark/profiles/"
fi
# Copy -r inputs beside the plugin so an unprivileged tshark can read them.
n=0
for arg in "$@"; do
  if [ "${prev:-}" = "-r" ]; then
    n=$((n + 1)); cp "$arg" "$home/input$n.pcap"; arg="$home/input$n.pcap"
  fi
  set -- "$@" "$arg"; prev=$arg
  shift
done
chmod -R a+rX "$home"
if [ "$(id -u)" = 0 ]; then
  chown -R 65534:65534 "$home"
  exec_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
  exec_user=""
fi
cd "$home"
# shellcheck disable=SC2086
$exec_user env HOME="$home" XDG_CONFIG_HOME="$home/.config" ${SIPRESP_PRELOAD:+LD_PRELOAD="$SIPRESP_PRELOAD"} \
  ${SIPRESP_VALGRIND:+valgrind --tool=memcheck --num-callers=30} "${SIPRESP_PROGRAM:-tshark}" "$@"
