#!/usr/bin/env bash
# A county and two kiosks of one site, through the real binaries:
#  - the county server seeds a demo county and serves HTTPS on loopback;
#  - kiosk A and kiosk B enroll at the same site with one-time codes;
#  - A syncs: it receives the site's roster, classes, sessions, staff and the
#    other kiosks' attendance, and its hours agree with what the county holds;
#  - B writes records of its own and syncs: nothing is left waiting;
#  - A syncs again and again: a repeated pass changes nothing;
#  - a used code and a revoked device are refused.
# Usage: county_kiosk_e2e.sh SERVER KIOSKCTL COURSES_DIR
set -euo pipefail
server=$1 kioskctl=$2 courses=$3
. "$(dirname "$0")/e2e_common.sh"

county="$work/county"
step "county: init, demo-seed, serve on 127.0.0.1 (port 0)"
"$server" --data "$county" init --name "沁水县人力资源和社会保障局" --host 127.0.0.1 >/dev/null
"$server" --data "$county" demo-seed --courses "$courses" >/dev/null
serve_county "$county"

site=site-11
enroll() {  # enroll NAME
  local dir="$work/$1" code
  "$kioskctl" --data "$dir" init >/dev/null
  code=$("$server" --data "$county" code --site "$site" --hours 1 | tail -1)
  "$kioskctl" --data "$dir" enroll --server "$url" --code "$code" >/dev/null
  echo "$code"
}
step "kiosks A and B enroll at $site"
code_a=$(enroll A)
enroll B >/dev/null

step "a used enrollment code is refused"
"$kioskctl" --data "$work/C" init >/dev/null
if "$kioskctl" --data "$work/C" enroll --server "$url" --code "$code_a" >"$work/c.out" 2>&1; then
  fail "a used code enrolled a second kiosk"
fi

step "A syncs and receives its site"
"$kioskctl" --data "$work/A" sync >"$work/a-sync1.out" || { cat "$work/a-sync1.out"; fail "sync A"; }
people=$("$kioskctl" --data "$work/A" status --json | sed -n 's/.*"people":\([0-9]*\).*/\1/p')
[ "${people:-0}" -ge 20 ] || fail "A holds ${people:-0} people after sync, expected the site's roster (>= 20)"
"$kioskctl" --data "$work/A" classes | grep -q "class-$site-1" || fail "A did not receive class-$site-1"
"$kioskctl" --data "$work/A" hours --class "class-$site-1" >"$work/a-hours.out"
grep -qE '[1-9][0-9]*(\.[0-9]+)? *学时|[1-9][0-9]* min' "$work/a-hours.out" ||
  { cat "$work/a-hours.out"; fail "no credited hours arrived from the site's other kiosk"; }

step "B writes records of its own (walk-ins, sessions, attendance), syncs: nothing left waiting"
"$kioskctl" --data "$work/B" demo-fill --people 5 --days 2 --site "$site" >/dev/null
"$kioskctl" --data "$work/B" sync >"$work/b-sync1.out" || { cat "$work/b-sync1.out"; fail "sync B (upload)"; }
"$kioskctl" --data "$work/B" sync-status | tee "$work/b-status.out"
waiting=$("$kioskctl" --data "$work/B" status --json | sed -n 's/.*"outbox":\([0-9]*\).*/\1/p')
[ "${waiting:-0}" -gt 0 ] || fail "B wrote no records"
grep -qE '[^0-9]0 waiting' "$work/b-status.out" || fail "records still waiting after sync"

step "A syncs twice more: it gets B's records, and a repeated pass changes nothing"
a_people=$("$kioskctl" --data "$work/A" status --json | sed -n 's/.*"people":\([0-9]*\).*/\1/p')
"$kioskctl" --data "$work/A" sync >/dev/null || fail "sync A again"
before=$("$kioskctl" --data "$work/A" status --json)
a_people2=$(sed -n 's/.*"people":\([0-9]*\).*/\1/p' <<<"$before")
echo "   A holds $a_people2 people (was $a_people)"
[ "$a_people2" -gt "$a_people" ] || fail "B's walk-in registrations did not reach A"
"$kioskctl" --data "$work/A" sync >/dev/null || fail "sync A a third time"
after=$("$kioskctl" --data "$work/A" status --json)
strip() { sed -E 's/"(db_bytes|wal_bytes|sync_state|settings|audit|field_clock)":[0-9]*//g' <<<"$1"; }
[ "$(strip "$before")" = "$(strip "$after")" ] || fail "a repeated sync changed A's data: $before vs $after"

step "a revoked kiosk is refused"
dev_a=$("$kioskctl" --data "$work/A" status --json | sed -n 's/.*"device_id":"\([^"]*\)".*/\1/p')
"$server" --data "$county" revoke --device "$dev_a" >/dev/null
if "$kioskctl" --data "$work/A" sync >"$work/a-sync3.out" 2>&1; then fail "revoked kiosk synced"; fi

step "both stores pass their checks"
"$kioskctl" --data "$work/A" check >/dev/null || fail "check A"
"$kioskctl" --data "$work/B" check >/dev/null || fail "check B"
echo "1 passed, 0 failed"
