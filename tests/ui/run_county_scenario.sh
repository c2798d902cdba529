#!/bin/sh
# Runs a kiosk scenario against a real county server (chizheng-server on its
# embedded store, HTTPS on 127.0.0.1), under its own Xvfb, and cleans up.
#   run_county_scenario.sh KIOSK SERVER SCRIPT WIDTHxHEIGHT WORKDIR
# The county has one site (site-t, 龙港镇农民夜校) and a trainer 郭淑珍 with
# the one-time setup code 20261123. WORKDIR/usb stands for a USB stick that
# holds chizheng-enroll.txt (the server address and a fresh code). After the
# script, the bundle the kiosk exported to the stick is imported at the
# county, which must hold every record the kiosk wrote, exactly once.
set -u
kiosk=$1; server=$2; script=$3; size=$4; work=$5
rm -rf "$work"; mkdir -p "$work/shots" "$work/usb"
county=$work/county
spid=""; xpid=""
cleanup() {
  [ -n "$xpid" ] && kill "$xpid" 2>/dev/null
  [ -n "$spid" ] && kill "$spid" 2>/dev/null
  wait 2>/dev/null
}
trap cleanup EXIT INT TERM
"$server" --data "$county" init --name "沁水县人力资源和社会保障局" --host 127.0.0.1 >/dev/null || exit 2
"$server" --data "$county" site --id site-t --name "龙港镇农民夜校" --township "龙港镇" || exit 2
"$server" --data "$county" staff --id staff-t1 --name "郭淑珍" --role trainer --site site-t \
  --setup-code 20261123 || exit 2
"$server" --data "$county" serve --listen 127.0.0.1 --port 0 >"$work/server.out" 2>"$work/server.log" &
spid=$!
for _ in $(seq 1 200); do grep -q '^listening' "$work/server.out" 2>/dev/null && break; sleep 0.05; done
url=$(sed -n 's/^listening \(https:\/\/[^ ]*\).*/\1/p' "$work/server.out" | head -1)
[ -n "$url" ] || { echo "server did not start"; cat "$work/server.log"; exit 2; }
# --usb-file without the address kiosks use is refused, writing nothing
if "$server" --data "$county" code --site site-t --usb-file "$work/usb/chizheng-enroll.txt" \
  >/dev/null 2>&1 || [ -e "$work/usb/chizheng-enroll.txt" ]; then
  echo "code --usb-file without --url was not refused"; exit 1
fi
"$server" --data "$county" code --site site-t --hours 1 --url "$url" \
  --usb-file "$work/usb/chizheng-enroll.txt" >/dev/null || exit 2

n=$(( 100 + $$ % 400 ))
while [ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ]; do n=$((n + 1)); done
Xvfb :$n -screen 0 ${size}x24 -nolisten tcp -noreset >"$work/xvfb.log" 2>&1 &
xpid=$!
i=0
while [ ! -e /tmp/.X11-unix/X$n ]; do
  i=$((i + 1)); [ $i -gt 100 ] && { echo "Xvfb did not start"; exit 2; }
  sleep 0.05
done
cd "$work"
DISPLAY=:$n SDL_AUDIODRIVER=dummy "$kiosk" --data "$work/data" --usb "$work/usb" --script "$script"
rc=$?
echo "kiosk exit code $rc"
[ $rc -eq 0 ] || exit $rc

# The stick goes to the county: its bundle imports, and again changes nothing.
bundle=$(ls "$work"/usb/chizheng-kiosk-*.chzb 2>/dev/null | head -1)
[ -n "$bundle" ] || { echo "no bundle on the stick"; exit 1; }
"$server" --data "$county" import-bundle "$bundle" || { echo "import failed"; exit 1; }
"$server" --data "$county" import-bundle "$bundle" || { echo "second import failed"; exit 1; }
echo "bundle $bundle imported twice"
exit 0
