#!/usr/bin/env bash
# systemd-analyze verify on every unit file packaging/ ships, offline (this
# machine's PID 1 need not be systemd), and the server unit's hardening:
# `systemd-analyze security --offline` exposure at most 2.0 (it was 1.5).
# The /usr/bin/chizheng-* in ExecStart are pointed at this build's binaries
# (verify checks that the command is executable); cage must be installed
# (packaging/debian-packages.txt). Exit 77 (SKIP) when systemd-analyze is
# missing or cannot run here, with the reason.
# Usage: verify_units.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
if ! command -v systemd-analyze >/dev/null; then
  echo "SKIP: systemd-analyze is not installed (apt-get install systemd)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mapfile -t units < <(find "$src/packaging" -name '*.service' -o -name '*.socket' -o -name '*.timer' |
  grep -v node_modules | sort)
[ ${#units[@]} -gt 0 ] || { echo "FAIL: no unit files under $src/packaging"; exit 1; }
declare -A bins=([chizheng-server]=sync/server/chizheng-server [chizheng-kiosk]=app/ui/chizheng-kiosk
  [chizheng-kioskctl]=app/chizheng-kioskctl [chizheng-content]=content/chizheng-content)
rc=0
for u in "${units[@]}"; do
  name=$(basename "$u")
  sed_args=()
  for b in "${!bins[@]}"; do
    [ -x "$build/${bins[$b]}" ] || { echo "FAIL: $build/${bins[$b]} is not built"; exit 1; }
    sed_args+=(-e "s|/usr/bin/$b\\b|$build/${bins[$b]}|g")
  done
  sed "${sed_args[@]}" "$u" >"$tmp/$name"
  if out=$(systemd-analyze verify "$tmp/$name" 2>&1) && [ -z "$out" ]; then
    echo "ok: $name verifies"
  else
    if [[ $out == *"Failed to initialize manager"* || $out == *"Operation not permitted"* ]]; then
      echo "SKIP: systemd-analyze verify cannot run here: $out"
      exit 77
    fi
    echo "FAIL: $name:"
    echo "$out"
    rc=1
  fi
done
server=$tmp/chizheng-server.service
if [ -f "$server" ]; then
  line=$(systemd-analyze security --offline=yes "$server" 2>&1 | grep 'Overall exposure level' || true)
  level=$(sed -n 's/.*: \([0-9.]*\) .*/\1/p' <<<"$line")
  if [ -z "$level" ]; then
    echo "FAIL: systemd-analyze security gave no exposure level: $line"
    rc=1
  elif awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }'; then
    echo "ok: chizheng-server.service exposure $level (at most 2.0)"
  else
    echo "FAIL: chizheng-server.service exposure $level, above 2.0: hardening was lost"
    systemd-analyze security --offline=yes "$server" | grep '✗' || true
    rc=1
  fi
fi
exit $rc
