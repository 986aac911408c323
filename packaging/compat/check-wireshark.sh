#!/bin/sh
# Builds sipresp and runs its whole test command against the Wireshark of
# another Debian release, in a debootstrap root made from Debian packages
# only:
#   sh packaging/compat/check-wireshark.sh trixie   # Debian 13, Wireshark 4.4
#   sh packaging/compat/check-wireshark.sh sid      # unstable, Wireshark 4.6
#   sh packaging/compat/check-wireshark.sh bookworm # Debian 12, Wireshark 4.0
# Run as root. The root is kept in build-compat/<suite> (reused by later runs;
# delete it to start over). Prints the Wireshark version and the test result;
# exits with the test command's status.
set -eu
suite="${1:?usage: check-wireshark.sh bookworm|trixie|sid}"
mirror="${SIPRESP_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
root="$here/build-compat/$suite"

command -v debootstrap >/dev/null || {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }

if [ ! -x "$root/usr/bin/apt-get" ] || [ ! -f "$root/.sipresp-ready" ]; then
  rm -rf "$root"
  mkdir -p "$root"
  echo "compat: debootstrap $suite into $root" >&2
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.debootstrap.log" 2>&1 || {
    tail -20 "$root.debootstrap.log" >&2; exit 1; }
  touch "$root/.sipresp-ready"
fi

cleanup() {
  for m in src dev/pts dev proc; do
    mountpoint -q "$root/$m" && umount -l "$root/$m"
  done
  return 0
}
trap cleanup EXIT INT TERM
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# unstable's Release files carry a Valid-Until; a mirror snapshot (or a
# machine clock ahead of it) would make apt refuse them
echo 'Acquire::Check-Valid-Until "false";' > "$root/etc/apt/apt.conf.d/99sipresp-compat"

# The project's files as committed plus any local edits, without build trees.
mkdir -p "$root/src"
rm -rf "$root/src/sipresp"
mkdir -p "$root/src/sipresp"
(cd "$here" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar cf -) |
  tar xf - -C "$root/src/sipresp"

# The test command installs what it needs (scripts/setup-debian.sh), as it
# does on a newcomer's machine.
status=0
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  sh -c 'cd /src/sipresp && sh scripts/test.sh && dpkg-query -W -f="compat: wireshark \${Version}\n" libwireshark-dev' || status=$?
echo "compat: $suite: test command exit $status" >&2
exit "$status"
