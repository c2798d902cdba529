#!/usr/bin/env bash
# kill -9 of the city server while a county forwards into it, at random
# moments, 8 rounds (the county's `forward` keeps running against a city
# that vanishes and comes back); then one pass that gets through. Nothing
# lost, nothing doubled: every kiosk holds as many records at the city as
# at the county, the city's report equals the county's, and the city's read
# model verifies and reprojects to itself.
#   rollup_kill.sh SERVER KIOSKCTL
set -euo pipefail
server=$1 kioskctl=$2
. "$(dirname "$0")/lib.sh"
work_dir chz-rollup-kill
fail() { echo "FAIL: $*" >&2; exit 1; }
county="$work/county" city="$work/city" site=site-01
day=$(TZ=Asia/Shanghai date +%F)

"$server" --data "$city" init --name "晋城市人力资源和社会保障局" --area-code 140500 --level city \
  --host 127.0.0.1 >/dev/null
"$server" --data "$county" init --name "沁水县人力资源和社会保障局" --area-code 140521 \
  --host 127.0.0.1 >/dev/null
"$server" --data "$county" site --id "$site" --name "沁水县龙港镇农民夜校" --township "龙港镇"
start_county_server "$county" || fail "county server did not start"
county_pid=$pid county_url=$url
pid="$county_pid"
# Eight kiosks' records at the county, each in several signed uploads:
# enough that forwarding them all takes several seconds.
for k in 1 2 3 4 5 6 7 8; do
  "$kioskctl" --data "$work/k$k" init >/dev/null
  code=$("$server" --data "$county" code --site "$site" --hours 1 | tail -1)
  "$kioskctl" --data "$work/k$k" enroll --server "$county_url" --code "$code" >/dev/null
  "$kioskctl" --data "$work/k$k" demo-fill --people 40 --days 60 --seed "$k" --site "$site" >/dev/null
  "$kioskctl" --data "$work/k$k" sync >/dev/null || fail "kiosk $k sync"
done
kill "$county_pid"; wait "$county_pid" 2>/dev/null || true

start_county_server "$city" || fail "city server did not start"
city_pid=$pid city_port=${url##*:}
pid="$city_pid"
ccode=$("$server" --data "$city" code --county 140521 --county-name 沁水县 --hours 1 | tail -1)
"$server" --data "$county" upstream enroll --url "$url" --code "$ccode" >/dev/null ||
  fail "the county did not enroll upward"

cut=0  # rounds whose pass the kill cut short
for round in $(seq 1 8); do
  "$server" --data "$county" forward --attempts 2 >"$work/f$round" 2>&1 &
  fwd=$!
  sleep "0.$(( (RANDOM % 15) + 5 ))"
  kill -9 "$city_pid"
  wait "$city_pid" 2>/dev/null || true
  if ! wait "$fwd" 2>/dev/null; then cut=$((cut + 1)); fi  # else it finished before the kill
  start_county_server "$city" "$city_port" || fail "round $round: the city did not restart"
  city_pid=$pid; pid="$city_pid"
done
echo "the city was killed under $cut of 8 forward passes"
"$server" --data "$county" forward >"$work/final" 2>&1 || { cat "$work/final"; fail "the last pass"; }
"$server" --data "$county" forward >"$work/again" 2>&1 || fail "a pass after the last"
grep -q '"batches":0' "$work/again" || { cat "$work/again"; fail "the city still lacked batches"; }
kill "$city_pid"; wait "$city_pid" 2>/dev/null || true
pid=""

# Each kiosk's record count, county and city.
counts() { "$server" --data "$1" stats freshness | awk -F'\t' '/^kiosk/ {print $1, $4}' | sort; }
counts "$county" >"$work/county.counts"
counts "$city" >"$work/city.counts"
[ -s "$work/county.counts" ] || fail "no kiosks at the county"
diff "$work/county.counts" "$work/city.counts" || fail "a kiosk's records differ at the city"
tot() { /usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps(r.get("total", r.get("rows")), sort_keys=True))' "$1"; }
for d in "$county" "$city"; do
  "$server" --data "$d" report --from "${day:0:4}-01-01" --to "$day" --format json >"$d.report"
done
/usr/bin/python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; sys.exit(0 if t[1] > 0 else 1)' \
  "$county.report" || fail "no 培训人次 in the county's report: the test would prove nothing"
[ "$(tot "$county.report")" = "$(tot "$city.report")" ] || fail "the city's report differs from the county's"
"$server" --data "$city" stats verify >"$work/verify" 2>&1 || { cat "$work/verify"; fail "stats verify"; }
"$server" --data "$city" reproject >"$work/reproject" 2>&1 || { cat "$work/reproject"; fail "reproject"; }
# On a fast machine the passes may all end before the later kills; at least
# one kill must land while a pass is sending.
[ "$cut" -ge 1 ] || fail "no pass was cut short by the kill"
echo "PASS rollup_kill"
