#!/bin/sh
# Pictures for the README, from the real Wireshark GUI (wireshark-qt under
# Xvfb, driven by xdotool), with the freshly built plugin and the sipresp
# profile:
#   docs/images/sipresp-tree.png    pcaps/handmade/clean.pcap, the 302 in
#                                   frame 4 selected, its sipresp tree expanded
#   docs/images/sipresp-expert.png  pcaps/handmade/calls.pcap, the Expert
#                                   Information dialog
#   docs/images/sipresp-stats.png   the same capture, Statistics > SIP
#                                   Response Analysis
# Run as root on Debian 12: installs what it needs, builds, runs the GUI as
# nobody (Wireshark ignores personal plugins for root), stops all it started.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
sh scripts/setup-debian.sh
missing=""
for p in wireshark-qt xvfb xdotool imagemagick fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
sh scripts/build.sh >/dev/null

display=:${SIPRESP_DISPLAY:-77}
width=1400
height=900
work=$(mktemp -d /tmp/sipresp-gui.XXXXXX)
xvfb_pid=""
cleanup() {
  pkill -u 65534 -x wireshark 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
Xvfb "$display" -screen 0 "${width}x${height}x24" -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
sleep 1
export DISPLAY="$display"

# A HOME for nobody: the plugin, the profile, and a window filling the screen
# with the packet bytes hidden so the tree has room.
home="$work/home"
abi=$(tshark --version | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
mkdir -p "$home/.local/lib/wireshark/plugins/$abi/epan" "$home/.config/wireshark/profiles"
cp build/plugin/sipresp.so "$home/.local/lib/wireshark/plugins/$abi/epan/"
cp -r packaging/profile/sipresp "$home/.config/wireshark/profiles/"
cat > "$home/.config/wireshark/recent_common" <<RECENT
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: $width
gui.geometry_main_height: $height
gui.geometry_main_maximized: FALSE
RECENT
cat > "$home/.config/wireshark/profiles/sipresp/recent" <<RECENT
gui.byte_view_show: FALSE
gui.geometry_main_upper_pane: 260
RECENT
cp pcaps/handmade/clean.pcap pcaps/handmade/calls.pcap "$home/"
chown -R 65534:65534 "$home"

# wait_window PATTERN: prints the id of the first visible window whose name
# matches, once there (up to 30 s), then lets it finish drawing
wait_window() {
  for _ in $(seq 60); do
    found=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -1 || true)
    [ -n "$found" ] && { sleep 2; echo "$found"; return 0; }
    sleep 0.5
  done
  echo "screenshot: no window named $1" >&2
  exit 1
}

# start wireshark as nobody on a capture; waits for its main window
open_capture() {
  setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$home" XDG_CONFIG_HOME="$home/.config" \
    XDG_RUNTIME_DIR="$work" DISPLAY="$display" wireshark -C sipresp "$@" >/dev/null 2>&1 &
  window=$(wait_window "\.pcap")
  sleep 1
}

shoot() {  # shoot FILE [WINDOW]: the screen or one window, as a small PNG
  import -window "${2:-root}" -colors 256 "png8:$1"
  echo "screenshot: $1"
}

# open_dialog X TITLE: click the menu whose title is at X on the menu bar,
# take its last item (Up wraps to it), wait for the window named TITLE
open_dialog() {
  xdotool mousemove "$1" 10 click 1
  sleep 0.5
  xdotool key Up Return
  dialog=$(wait_window "$2")
}

mkdir -p docs/images
chmod 711 "$work"
open_capture -r "$home/clean.pcap" -g 4
# the details pane lists Frame, Ethernet, IP, UDP, SIP, sipresp: focus it,
# go to its last top-level item (sipresp) and expand all of its subtrees
xdotool mousemove --window "$window" 200 420 click 1
sleep 0.5
xdotool key End
sleep 0.3
xdotool key shift+Right
sleep 1
shoot "$top/docs/images/sipresp-tree.png"
pkill -u 65534 -x wireshark || true
sleep 2

# Analyze and Statistics sit at these x on the menu bar (DejaVu fonts);
# Expert Information and SIP Response Analysis are their last items
open_capture -r "$home/calls.pcap"
open_dialog 255 "Expert Information"
shoot "$top/docs/images/sipresp-expert.png" "$dialog"
xdotool windowclose "$dialog" 2>/dev/null || xdotool key Escape
sleep 1
open_dialog 325 "SIP Response Analysis"
shoot "$top/docs/images/sipresp-stats.png" "$dialog"
