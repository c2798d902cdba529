#!/usr/bin/env bash
# The county dashboard in a real Chromium against the real county server:
# a fresh county (init, demo-seed, a site whose name is an HTML injection,
# one user per role), `serve --plain-http` on 127.0.0.1 port 0 with the
# built page (--web) and a 3-second idle session, then dashboard_test.mjs.
# Everything lives in a temp folder removed on exit (CHZ_KEEP_TEMP=1 keeps it).
# Exit 77 (ctest: skipped) when Chromium or playwright-core is missing.
# Screenshots go to ${CHZ_ARTIFACTS:-BUILD_DIR/test-artifacts}/browser/.
# Usage: run.sh SERVER WEB_DIR SOURCE_DIR BUILD_DIR
set -euo pipefail
server=$1 web=$2 src=$3 build=$4
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHZ_CHROMIUM:-/usr/bin/chromium}

[ -x "$chromium" ] || { echo "SKIP: $chromium not found (packaging/install-deps installs chromium)"; exit 77; }
command -v node >/dev/null 2>&1 || { echo "SKIP: node not found (packaging/install-deps)"; exit 77; }
[ -d "$here/node_modules/playwright-core" ] ||
  { echo "SKIP: tests/browser/node_modules/playwright-core missing (run packaging/install-deps)"; exit 77; }
[ -f "$web/index.html" ] || { echo "FAIL: no dashboard in $web (build the chz_web target)"; exit 1; }

work=$(mktemp -d /tmp/chz-browser-XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  wait 2>/dev/null || true
  [ -n "${CHZ_KEEP_TEMP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

data="$work/county"
"$server" --data "$data" init --host 127.0.0.1 >/dev/null
"$server" --data "$data" demo-seed --courses "$src/content/courses" >/dev/null
# A site whose name and township are an HTML injection: the page must show them as text.
xss='<img src=x onerror=window.__xss=1>'
"$server" --data "$data" site --id xss-site --name "$xss" --township "$xss" >/dev/null
password='Qinshui-River-71!'
for u in admin:admin viewer:viewer security:security auditor:audit locktest:viewer; do
  printf '%s\n' "$password" | "$server" --data "$data" user add --name "${u%%:*}" --role "${u##*:}" >/dev/null
done
"$server" --data "$data" routes >"$work/routes.json"

"$server" --data "$data" serve --plain-http --listen 127.0.0.1 --port 0 --web "$web" --session-idle 3 \
  >"$work/server.out" 2>"$work/server.err" &
pid=$!
url=
for _ in $(seq 1 200); do
  url=$(sed -n 's/^listening \(http:\/\/[^ ]*\).*/\1/p' "$work/server.out" | head -1)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
[ -n "$url" ] || { echo "FAIL: the server did not start"; cat "$work/server.err"; exit 1; }

artifacts=${CHZ_ARTIFACTS:-$build/test-artifacts}/browser
mkdir -p "$artifacts"
set +e
CHZ_URL="$url" CHZ_PASSWORD="$password" CHZ_ROUTES="$work/routes.json" CHZ_WORK="$work" \
  CHZ_SHOTS="$artifacts" CHZ_CHROMIUM="$chromium" CHZ_XSS="$xss" \
  node "$here/dashboard_test.mjs"
rc=$?
set -e
if [ $rc -ne 0 ]; then
  echo "--- server log (last 40 lines)"
  tail -40 "$work/server.err"
fi
exit $rc
