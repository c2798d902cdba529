#!/bin/sh
# The kiosk and its process: with no display it says so and creates nothing;
# under a display, SIGTERM and SIGINT stop it cleanly (exit 0) in kiosk mode,
# at the welcome screen, right after exec and inside start-up.
#   run_signals.sh KIOSK FIXTURE WORKDIR
set -u
kiosk=$1; fixture=$2; work=$3
rm -rf "$work"; mkdir -p "$work/xdg"; chmod 700 "$work/xdg"
fail=0
check() { # NAME CONDITION-RESULT
  if [ "$2" = 0 ]; then echo "PASS $1"; else echo "FAIL $1"; fail=1; fi
}

# 1. No display at all: a clear message, exit 2, no data folder.
env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER XDG_RUNTIME_DIR="$work/xdg" \
  SDL_AUDIODRIVER=dummy timeout 20 "$kiosk" --data "$work/nodisplay" >"$work/nodisplay.out" 2>&1
rc=$?
cat "$work/nodisplay.out"
check "no display: exit code 2 (was $rc)" "$([ $rc = 2 ]; echo $?)"
grep -q "no display" "$work/nodisplay.out"
check "no display: says 'no display'" $?
check "no display: no data folder created" "$([ ! -e "$work/nodisplay" ]; echo $?)"

# 2. Under Xvfb: signals stop the kiosk.
"$fixture" "$work/data" >/dev/null || { echo "fixture failed"; exit 2; }
n=$(( 100 + $$ % 400 ))
while [ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ]; do n=$((n + 1)); done
Xvfb :$n -screen 0 1024x600x24 -nolisten tcp -noreset >"$work/xvfb.log" 2>&1 &
xpid=$!
trap 'kill $xpid 2>/dev/null; wait $xpid 2>/dev/null' EXIT INT TERM
i=0
while [ ! -e /tmp/.X11-unix/X$n ]; do
  i=$((i + 1)); [ $i -gt 100 ] && { echo "Xvfb did not start"; exit 2; }
  sleep 0.05
done

# Starts the kiosk, waits for its first frame (or not), sends SIG, and
# checks it exits 0 within 10 s.
stop_with() { # SIG WAIT_FOR_READY
  out="$work/kiosk-$1-$2.out"
  DISPLAY=:$n SDL_AUDIODRIVER=dummy "$kiosk" --data "$work/data" --no-sync --print-ready \
    >"$out" 2>&1 &
  k=$!
  # Wait for the exec: before it, the signal would hit this script's forked
  # copy (and its trap), not the kiosk.
  i=0
  while [ "$(readlink /proc/$k/exe 2>/dev/null)" != "$(readlink -f "$kiosk")" ]; do
    i=$((i + 1)); [ $i -gt 2000 ] && break
  done
  [ "$2" = early ] && sleep 0.1  # inside start-up: SDL, the store, the fonts
  if [ "$2" = ready ]; then
    i=0
    while ! grep -q '^ready' "$out"; do
      i=$((i + 1)); [ $i -gt 400 ] && break
      sleep 0.05
    done
  fi
  kill -s "$1" $k
  # A watchdog instead of polling kill -0 (a zombie still answers it).
  ( sleep 10; kill -9 $k 2>/dev/null ) &
  dog=$!
  wait $k; rc=$?
  kill $dog 2>/dev/null; wait $dog 2>/dev/null
  if [ $rc = 137 ]; then
    check "$1 ($2): the kiosk stopped within 10 s" 1
  elif [ "$2" = starting ] && [ $rc = 143 ]; then
    # Killed before its signal thread existed: nothing was open yet.
    check "$1 ($2): stopped before start-up took the signal (143)" 0
  else
    check "$1 ($2): clean exit 0 (was $rc)" "$([ $rc = 0 ]; echo $?)"
  fi
}
stop_with TERM ready
stop_with INT ready
stop_with TERM starting
stop_with TERM early
[ $fail = 0 ] && echo "signals: all passed"
exit $fail
