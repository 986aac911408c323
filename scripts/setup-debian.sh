#!/bin/sh
# Installs the Debian 12 packages sipresp needs to build and test, when any
# is missing. Run as root; a no-op when everything is there.
set -eu
packages="g++ make cmake pkg-config python3 libglib2.0-dev libwireshark-dev wireshark-dev tshark catch2 util-linux dpkg-dev file"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "setup: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
