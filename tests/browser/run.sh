#!/usr/bin/env bash
# The county dashboard in a real Chromium against the real county server:
# a fresh county (init, demo-seed, a site whose name is an HTML injection,
# a person enrolled with a known ID number, one user per role); a kiosk at that site enrolls over HTTPS, issues two
# certificates (待确认) and syncs, when KIOSKCTL and ISSUE_HELPER are built;
# a city with two counties, one of which enrolled upward and forwarded;
# then `serve --plain-http` on 127.0.0.1 port 0 with the built page (--web)
# and a 3-second idle session (the city's beside it), and dashboard_test.mjs.
# Everything lives in a temp folder removed on exit (CHZ_KEEP_TEMP=1 keeps it).
# Exit 77 (ctest: skipped) when Chromium or playwright-core is missing.
# Screenshots go to ${CHZ_ARTIFACTS:-BUILD_DIR/test-artifacts}/browser/.
# Usage: run.sh SERVER WEB_DIR SOURCE_DIR BUILD_DIR [KIOSKCTL ISSUE_HELPER]
set -euo pipefail
server=$1 web=$2 src=$3 build=$4 kioskctl=${5:-} issue=${6:-}
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHZ_CHROMIUM:-/usr/bin/chromium}

[ -x "$chromium" ] || { echo "SKIP: $chromium not found (packaging/install-deps installs chromium)"; exit 77; }
command -v node >/dev/null 2>&1 || { echo "SKIP: node not found (packaging/install-deps)"; exit 77; }
[ -d "$here/node_modules/playwright-core" ] ||
  { echo "SKIP: tests/browser/node_modules/playwright-core missing (run packaging/install-deps)"; exit 77; }
[ -f "$web/index.html" ] || { echo "FAIL: no dashboard in $web (build the chz_web target)"; exit 1; }

work=$(mktemp -d /tmp/chz-browser-XXXXXX)
pid=
city_pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  [ -n "$city_pid" ] && kill "$city_pid" 2>/dev/null
  wait 2>/dev/null || true
  [ -n "${CHZ_KEEP_TEMP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

data="$work/county"
"$server" --data "$data" init --host 127.0.0.1 >/dev/null
"$server" --data "$data" demo-seed --courses "$src/content/courses" >/dev/null
# A site whose name and township are an HTML injection: the page must show them as text.
xss='<img src=x onerror=window.__xss=1>'
site=140521199
"$server" --data "$data" site --id "$site" --name "$xss" --township "$xss" >/dev/null
# A person with a known (fictional, valid) ID number, for 人员查询.
person_id=140521197003123017 person_name='张𠮷'
"$server" --data "$data" enrol --class class-site-11-1 --id-number "$person_id" --name "$person_name" \
  --township 十里乡 --village 南峪村 >/dev/null
person_key=$("$server" --data "$data" person --id-number "$person_id" |
  sed -n 's/^ *"key": "\([0-9a-f]*\)".*/\1/p' | head -1)
[ -n "$person_key" ] || { echo "FAIL: no key for the enrolled person"; exit 1; }

# Certificates waiting for the county's decision come only from a kiosk:
# one enrolls at the site over HTTPS, issues two (the first to the person
# enrolled above, under the county's key for them) and syncs.
pending=0
if [ -x "$kioskctl" ] && [ -x "$issue" ]; then
  "$server" --data "$data" serve --listen 127.0.0.1 --port 0 >"$work/https.out" 2>"$work/https.err" &
  pid=$!
  for _ in $(seq 1 200); do grep -q '^listening' "$work/https.out" 2>/dev/null && break; sleep 0.05; done
  https=$(sed -n 's/^listening \(https:\/\/[^ ]*\).*/\1/p' "$work/https.out" | head -1)
  [ -n "$https" ] || { echo "FAIL: the HTTPS server did not start"; cat "$work/https.err"; exit 1; }
  "$kioskctl" --data "$work/kiosk" init >/dev/null
  code=$("$server" --data "$data" code --site "$site" --hours 1 | tail -1)
  "$kioskctl" --data "$work/kiosk" enroll --server "$https" --code "$code" >/dev/null
  # The first certificate's holder is the enrolled person (the county's key), for 人员查询's 注销.
  # The second holder is registered through the kiosk's own checks, which refuse
  # an HTML name; the injection stays in the site, township and registry rows.
  "$issue" "$work/kiosk" --key="$person_key" "$person_name" '王䶮' >"$work/numbers"
  "$kioskctl" --data "$work/kiosk" sync >"$work/sync.out" || { cat "$work/sync.out"; echo "FAIL: kiosk sync"; exit 1; }
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  pending=$(wc -l <"$work/numbers")
else
  echo "note: chizheng-kioskctl or chz-test-issue-certificates not built: no pending certificates"
fi

password='Qinshui-River-71!'
for u in admin:admin viewer:viewer security:security auditor:audit locktest:viewer; do
  printf '%s\n' "$password" | "$server" --data "$data" user add --name "${u%%:*}" --role "${u##*:}" >/dev/null
done

# A city (init --level city) that issued codes to two counties: 沁水县
# enrolls upward over HTTPS and forwards its own records (a class); 阳城县 never does.
# Its dashboard (各县报送情况, targets per county) is served beside the county's.
city="$work/city" qinshui="$work/qinshui"
"$server" --data "$city" init --name 晋城市人力资源和社会保障局 --area-code 140500 --level city \
  --host 127.0.0.1 >/dev/null
"$server" --data "$city" serve --listen 127.0.0.1 --port 0 >"$work/city-https.out" 2>"$work/city-https.err" &
pid=$!
for _ in $(seq 1 200); do grep -q '^listening' "$work/city-https.out" 2>/dev/null && break; sleep 0.05; done
city_https=$(sed -n 's/^listening \(https:\/\/[^ ]*\).*/\1/p' "$work/city-https.out" | head -1)
[ -n "$city_https" ] || { echo "FAIL: the city server did not start"; cat "$work/city-https.err"; exit 1; }
ccode=$("$server" --data "$city" code --county 140521 --county-name 沁水县 --hours 1 | tail -1)
"$server" --data "$city" code --county 140522 --county-name 阳城县 --hours 1 >/dev/null
"$server" --data "$qinshui" init --name 沁水县人力资源和社会保障局 --area-code 140521 --host 127.0.0.1 >/dev/null
"$server" --data "$qinshui" site --id site-01 --name 沁水县龙港镇农民夜校 --township 龙港镇 >/dev/null
"$server" --data "$qinshui" class --id k1 --course c1 --site site-01 --name 烹调一班 >/dev/null
"$server" --data "$qinshui" upstream enroll --url "$city_https" --code "$ccode" >/dev/null
"$server" --data "$qinshui" forward >"$work/forward.out" || { cat "$work/forward.out"; echo "FAIL: forward"; exit 1; }
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=
printf '%s\n' "$password" | "$server" --data "$city" user add --name cityadmin --role admin >/dev/null
"$server" --data "$data" routes >"$work/routes.json"

"$server" --data "$city" serve --plain-http --listen 127.0.0.1 --port 0 --web "$web" \
  >"$work/city.out" 2>"$work/city.err" &
city_pid=$!
"$server" --data "$data" serve --plain-http --listen 127.0.0.1 --port 0 --web "$web" --session-idle 3 \
  >"$work/server.out" 2>"$work/server.err" &
pid=$!
url= city_url=
for _ in $(seq 1 200); do
  url=$(sed -n 's/^listening \(http:\/\/[^ ]*\).*/\1/p' "$work/server.out" | head -1)
  city_url=$(sed -n 's/^listening \(http:\/\/[^ ]*\).*/\1/p' "$work/city.out" | head -1)
  [ -n "$url" ] && [ -n "$city_url" ] && break
  kill -0 "$pid" 2>/dev/null && kill -0 "$city_pid" 2>/dev/null || break
  sleep 0.05
done
[ -n "$url" ] || { echo "FAIL: the server did not start"; cat "$work/server.err"; exit 1; }
[ -n "$city_url" ] || { echo "FAIL: the city server did not start"; cat "$work/city.err"; exit 1; }

artifacts=${CHZ_ARTIFACTS:-$build/test-artifacts}/browser
mkdir -p "$artifacts"
rm -f "$artifacts"/*.png
set +e
CHZ_URL="$url" CHZ_CITY_URL="$city_url" CHZ_PASSWORD="$password" CHZ_ROUTES="$work/routes.json" CHZ_WORK="$work" \
  CHZ_SHOTS="$artifacts" CHZ_CHROMIUM="$chromium" CHZ_XSS="$xss" CHZ_PENDING="$pending" \
  CHZ_PERSON_ID="$person_id" CHZ_PERSON_NAME="$person_name" CHZ_PERSON_KEY="$person_key" \
  node "$here/dashboard_test.mjs"
rc=$?
set -e
if [ $rc -ne 0 ]; then
  echo "--- server log (last 40 lines)"
  tail -40 "$work/server.err"
  echo "--- city server log (last 20 lines)"
  tail -20 "$work/city.err"
fi
exit $rc
