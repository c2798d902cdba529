#!/usr/bin/env bash
# The roll-up, county -> city, through the real binaries: three processes
# (kiosk, county server, city server) over HTTPS on loopback.
#  - a city server (init --level city) issues a one-time code for the
#    county; the county enrolls upward with it (its own identity key);
#  - a kiosk issues certificates, syncs; the county confirms one;
#  - `forward` sends the kiosk's batches with their proofs and the county's
#    own records; the city's report equals the county's, and the confirmed
#    certificate verifies at the city as valid (two hops);
#  - a second forward sends nothing; the city down: forward fails, stores
#    nothing wrong, and catches up once the city is back;
#  - `serve --forward-every 1` forwards a new kiosk batch by itself;
#  - a kiosk code cannot enroll a county identity; a county code cannot
#    be used by a kiosk; a county server refuses to issue county codes.
# Usage: rollup_e2e.sh SERVER KIOSKCTL ISSUE_HELPER
set -euo pipefail
server=$1 kioskctl=$2 issue=$3
source "$(dirname "$0")/lib.sh"
work_dir chz-rollup
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "-- $*"; }
has() { grep -qF -- "$2" "$1" || { cat "$1"; fail "$3"; }; }
json_int() { sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" "$1" | head -1; }

county="$work/county" city="$work/city" kiosk="$work/kiosk" site=site-01
step "city: init --level city, serve"
"$server" --data "$city" init --name "晋城市人力资源和社会保障局" --area-code 140500 --level city \
  --host 127.0.0.1 >/dev/null
start_county_server "$city" || fail "city server did not start"
city_pid=$pid city_url=$url
echo "   $city_url"

step "county: init with its area code, a site, serve"
"$server" --data "$county" init --name "沁水县人力资源和社会保障局" --area-code 140521 \
  --host 127.0.0.1 >/dev/null
"$server" --data "$county" site --id "$site" --name "沁水县龙港镇农民夜校" --township "龙港镇"
# "/" and "county:" belong to the level above: a county may not name a site so.
for bad in "140522/site-a" "county:140522"; do
  if "$server" --data "$county" site --id "$bad" --name x --township y >"$work/s0" 2>&1; then
    fail "a site id '$bad' was taken"
  fi
  has "$work/s0" "may not be empty, contain '/' or begin with 'county:'" "site id refusal not named"
done
cp "$work/server.out" "$work/city-server.out"
start_county_server "$county" || fail "county server did not start"
county_pid=$pid county_url=$url
pid="$county_pid $city_pid"
echo "   $county_url"

step "codes: a county server issues no county codes; a kiosk code enrolls no county"
if "$server" --data "$county" code --county 140522 >"$work/c0" 2>&1; then fail "county issued a county code"; fi
has "$work/c0" "counties enroll with a city server" "refusal does not say why"
"$server" --data "$city" site --id s1 --name "市直培训点" --township "城区"
kcode=$("$server" --data "$city" code --site s1 --hours 1 | tail -1)
if "$server" --data "$county" upstream enroll --url "$city_url" --code "$kcode" >"$work/e0" 2>&1; then
  fail "a kiosk's code enrolled a county"
fi
has "$work/e0" "not for a device of that name" "wrong code not named"
[ ! -e "$county/upstream.json" ] || fail "a refused enrollment left upstream.json"

step "the county enrolls with the city"
ccode=$("$server" --data "$city" code --county 140521 --county-name 沁水县 --hours 1 | tail -1)
"$server" --data "$county" upstream enroll --url "$city_url" --code "$ccode" >"$work/e1"
has "$work/e1" "as county-140521" "enrollment output"
[ "$(stat -c %a "$county/upstream.json")" = 600 ] || fail "upstream.json is not 0600"
"$kioskctl" --data "$work/k2" init >/dev/null
if "$kioskctl" --data "$work/k2" enroll --server "$city_url" --code "$ccode" >"$work/e2" 2>&1; then
  fail "a used county code enrolled a kiosk"
fi

step "a kiosk issues two certificates and syncs; the county confirms one"
"$kioskctl" --data "$kiosk" init >/dev/null
code=$("$server" --data "$county" code --site "$site" --hours 1 | tail -1)
"$kioskctl" --data "$kiosk" enroll --server "$county_url" --code "$code" >/dev/null
"$kioskctl" --data "$kiosk" demo-fill --people 8 --days 3 --site "$site" >/dev/null
"$issue" "$kiosk" "张𠮷祥" "郝䶮" >"$work/numbers"
n1=$(sed -n 1p "$work/numbers") n2=$(sed -n 2p "$work/numbers")
"$kioskctl" --data "$kiosk" sync >"$work/sync1" || { cat "$work/sync1"; fail "kiosk sync"; }
"$server" --data "$county" cert confirm "$n1" --qual-kind 专项职业能力证书 \
  --qual-number S140521202612000001 >/dev/null

step "forward: kiosk batches with their proofs, and the county's records"
"$server" --data "$county" forward >"$work/f1" || { cat "$work/f1"; fail "forward"; }
cat "$work/f1"
[ "$(json_int "$work/f1" batches)" -ge 1 ] || fail "no kiosk batch forwarded"
[ "$(json_int "$work/f1" county_records)" -ge 1 ] || fail "no county record forwarded"
has "$work/f1" '"unproven":[]' "records without proofs"

step "the city's figures equal the county's"
day=$(TZ=Asia/Shanghai date +%F)
for d in "$county" "$city"; do
  "$server" --data "$d" report --from "${day:0:4}-01-01" --to "$day" --format json >"$d.report"
done
# The same numbers; the unit line names the bureau, so compare the totals.
tot() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps(r.get("total", r.get("rows")), sort_keys=True))' "$1"; }
[ "$(tot "$county.report")" = "$(tot "$city.report")" ] ||
  { echo "county: $(tot "$county.report")"; echo "city: $(tot "$city.report")"; fail "city and county differ"; }
echo "   $(tot "$city.report")"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); t=r.get("total", r.get("rows")); sys.exit(0 if any(isinstance(v,int) and v>0 for v in (t if isinstance(t,list) else t.values())) else 1)' "$city.report" ||
  fail "the city's report has no numbers to compare"

step "the confirmed certificate verifies at the city (two hops)"
"$kioskctl" --data "$kiosk" sync >/dev/null
"$kioskctl" --data "$kiosk" certificate-json "$n1" -o "$work/c1.json" >/dev/null
"$server" --data "$city" verify-certificate "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["qr"])' "$work/c1.json" 2>/dev/null || cat "$work/c1.json")" >"$work/v1" 2>&1 || true
cat "$work/v1"
has "$work/v1" "valid" "not valid at the city"

step "a second forward sends nothing"
"$server" --data "$county" forward >"$work/f2"
[ "$(json_int "$work/f2" batches)" = 0 ] && [ "$(json_int "$work/f2" county_records)" = 0 ] ||
  { cat "$work/f2"; fail "a second forward sent something"; }

step "the city down: forward fails and says so; back up: it catches up"
kill "$city_pid"; wait "$city_pid" 2>/dev/null || true
"$kioskctl" --data "$work/k3" init >/dev/null
code=$("$server" --data "$county" code --site "$site" --hours 1 | tail -1)
"$kioskctl" --data "$work/k3" enroll --server "$county_url" --code "$code" >/dev/null
"$kioskctl" --data "$work/k3" demo-fill --people 6 --days 2 --seed 2 --site "$site" >/dev/null
"$kioskctl" --data "$work/k3" sync >/dev/null || fail "second kiosk sync"
if "$server" --data "$county" forward --attempts 2 >"$work/f3" 2>&1; then fail "forward to a stopped city succeeded"; fi
has "$work/f3" "unreachable" "the failure does not say the city is unreachable"
start_county_server "$city" "${city_url##*:}" || fail "city did not restart"
city_pid=$pid; pid="$county_pid $city_pid"
"$server" --data "$county" forward >"$work/f4" || { cat "$work/f4"; fail "catch-up forward"; }
[ "$(json_int "$work/f4" batches)" -ge 1 ] || { cat "$work/f4"; fail "nothing caught up"; }
for d in "$county" "$city"; do
  "$server" --data "$d" report --from "${day:0:4}-01-01" --to "$day" --format json >"$d.report"
done
[ "$(tot "$county.report")" = "$(tot "$city.report")" ] || fail "after catching up city and county differ"
"$server" --data "$city" stats verify >/dev/null || fail "the city's read model does not verify"

step "serve --forward-every: a new kiosk batch reaches the city by itself"
kill "$county_pid"; wait "$county_pid" 2>/dev/null || true
start_county_server "$county" "${county_url##*:}" --forward-every 1 || fail "county did not restart"
county_pid=$pid; pid="$county_pid $city_pid"
"$kioskctl" --data "$work/k4" init >/dev/null
code=$("$server" --data "$county" code --site "$site" --hours 1 | tail -1)
"$kioskctl" --data "$work/k4" enroll --server "$county_url" --code "$code" >/dev/null
"$kioskctl" --data "$work/k4" demo-fill --people 3 --days 1 --seed 3 --site "$site" >/dev/null
"$kioskctl" --data "$work/k4" sync >/dev/null || fail "kiosk sync to the restarted county"
for _ in $(seq 1 100); do
  grep -q "forwarded batches=1" "$work/server.err" && break
  sleep 0.1
done
has "$work/server.err" "forwarded batches=1" "the server did not forward by itself"
for d in "$county" "$city"; do
  "$server" --data "$d" report --from "${day:0:4}-01-01" --to "$day" --format json >"$d.report"
done
[ "$(tot "$county.report")" = "$(tot "$city.report")" ] || fail "after serve forwarded, city and county differ"
step "by USB stick: forward --usb writes what the city lacks; import-bundle at the city takes it once"
kill "$county_pid"; wait "$county_pid" 2>/dev/null || true
start_county_server "$county" "${county_url##*:}" --forward-every 0 || fail "county did not restart"
county_pid=$pid; pid="$county_pid $city_pid"  # serving kiosks, not forwarding: the link is down
"$kioskctl" --data "$work/k5" init >/dev/null
code=$("$server" --data "$county" code --site "$site" --hours 1 | tail -1)
"$kioskctl" --data "$work/k5" enroll --server "$county_url" --code "$code" >/dev/null
"$kioskctl" --data "$work/k5" demo-fill --people 2 --days 1 --seed 9 --site "$site" >/dev/null
"$kioskctl" --data "$work/k5" sync >/dev/null || fail "kiosk sync before the stick"
"$server" --data "$county" forward --usb "$work/stick.chz" >"$work/u1" || { cat "$work/u1"; fail "forward --usb"; }
[ "$(json_int "$work/u1" device_records)" -ge 1 ] || { cat "$work/u1"; fail "the stick carries nothing new"; }
"$server" --data "$city" import-bundle "$work/stick.chz" >"$work/u2" || { cat "$work/u2"; fail "import the stick"; }
[ "$(json_int "$work/u2" device_records)" -ge 1 ] || { cat "$work/u2"; fail "the city took nothing from the stick"; }
"$server" --data "$city" import-bundle "$work/stick.chz" >"$work/u3" || fail "import the stick again"
[ "$(json_int "$work/u3" device_records)" = 0 ] || { cat "$work/u3"; fail "the stick imported twice"; }
for d in "$county" "$city"; do
  "$server" --data "$d" report --from "${day:0:4}-01-01" --to "$day" --format json >"$d.report"
done
[ "$(tot "$county.report")" = "$(tot "$city.report")" ] || fail "after the stick, city and county differ"

step "the city's view from the command line: by county, targets, the table for the province"
"$server" --data "$city" report --from "${day:0:4}-01-01" --to "$day" --by county --format csv \
  >"$work/by_county.csv" || fail "report --by county"
has "$work/by_county.csv" "沁水县" "the county cut does not name the county"
"$server" --data "$city" target set --year "${day:0:4}" --indicator trained_people --value 100 \
  --county 140521 >/dev/null || fail "target set for a county"
"$server" --data "$city" target set --year "${day:0:4}" --indicator cert_rate --value 55% \
  >/dev/null || fail "target set for the city"
if "$server" --data "$city" target set --year "${day:0:4}" --indicator cert_rate --value 155% \
  >"$work/t.err" 2>&1; then fail "a rate over 100% was taken"; fi
"$server" --data "$city" target list --year "${day:0:4}" >"$work/targets" || fail "target list"
has "$work/targets" "2 targets" "target list does not show both"
"$server" --data "$city" target report --year "${day:0:4}" --to "$day" --format xlsx \
  -o "$work/targets.xlsx" >/dev/null || fail "target report as XLSX"
/usr/bin/python3 -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml").decode())' \
  "$work/targets.xlsx" >"$work/targets.strings" || fail "the XLSX does not open"
has "$work/targets.strings" "目标完成情况表" "the XLSX has no title"
has "$work/targets.strings" "沁水县" "the XLSX has no county row"
step "personal data at the city: held as the county holds it, encrypted at rest, never logged"
# The forwarded person records carry ID numbers (docs/rollup.md); the city
# keeps them in its SQLCipher store and its logs name no one.
if grep -rqEa '140521(19|20)[0-9]{9}[0-9Xx]' "$city"; then fail "an ID number lies in clear in the city's files"; fi
if grep -qEa '140521(19|20)[0-9]{9}[0-9Xx]' "$work"/*.err "$work"/*.out 2>/dev/null; then
  fail "an ID number is in a server's log"
fi
echo "PASS rollup_e2e"
