#!/bin/sh
# Runs one kiosk scenario under its own Xvfb and cleans up after itself.
#   run_scenario.sh KIOSK FIXTURE SCRIPT WIDTHxHEIGHT WORKDIR [FIXTURE ARGS...]
# FIXTURE prepares a store in WORKDIR/data; the kiosk then runs the script in
# kiosk mode (fullscreen on a screen of the given size). Screenshots land in
# WORKDIR/shots; WORKDIR/usb stands for a USB stick (empty unless the
# fixture fills it). Exit code: the kiosk's.
set -u
kiosk=$1; fixture=$2; script=$3; size=$4; work=$5; shift 5
rm -rf "$work"; mkdir -p "$work/shots" "$work/usb"
"$fixture" "$work/data" "$@" || { echo "fixture failed"; exit 2; }

# A free display number: no lock file and no socket.
n=$(( 100 + $$ % 400 ))
while [ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ]; do n=$((n + 1)); done
Xvfb :$n -screen 0 ${size}x24 -nolisten tcp -noreset >"$work/xvfb.log" 2>&1 &
xpid=$!
trap 'kill $xpid 2>/dev/null; wait $xpid 2>/dev/null' EXIT INT TERM
i=0
while [ ! -e /tmp/.X11-unix/X$n ]; do
  i=$((i + 1)); [ $i -gt 100 ] && { echo "Xvfb did not start"; cat "$work/xvfb.log"; exit 2; }
  sleep 0.05
done
cd "$work"
vars=""; [ -f "$work/vars.txt" ] && vars="--script-vars=$work/vars.txt"
DISPLAY=:$n SDL_AUDIODRIVER=dummy "$kiosk" --data "$work/data" --usb "$work/usb" --script "$script" $vars
rc=$?
echo "kiosk exit code $rc"
exit $rc
