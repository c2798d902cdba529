#!/usr/bin/env bash
# The county's changes to its own records reach a real kiosk, through the
# real binaries over HTTPS on loopback:
#  - list sites|devices|staff|classes|sessions|people read the read model;
#  - deactivate-staff: the kiosk shows the trainer inactive (no sign-in);
#  - a new session, then cancel-session: the kiosk has it, then drops it;
#  - enrol then unenrol: the kiosk's class roster grows and shrinks;
#  - correct-person: the kiosk shows the corrected name;
#  - minutes-per-hour: the kiosk and the county's report count 学时 by it;
#  - what would lose records is refused and changes nothing.
# Usage: county_admin_e2e.sh SERVER KIOSKCTL COURSES_DIR
set -euo pipefail
server=$1 kioskctl=$2 courses=$3
source "$(dirname "$0")/lib.sh"
work_dir chz-admin-e2e
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "-- $*"; }
county="$work/county"
srv() { "$server" --data "$county" "$@"; }
kiosk() { "$kioskctl" --data "$work/A" "$@"; }
json_field() {  # json_field FIELD < one JSON array: FIELD of its first element
  python3 -c 'import json,sys; a=json.load(sys.stdin); print(a[0][sys.argv[1]] if a else "")' "$1"
}

step "county: init, demo-seed, serve; kiosk A enrolls at site-11 and syncs"
srv init --host 127.0.0.1 >/dev/null
srv demo-seed --courses "$courses" >/dev/null
start_county_server "$county" || fail "server did not start"
site=site-11
kiosk init >/dev/null
kiosk enroll --server "$url" --code "$(srv code --site $site --hours 1 | tail -1)" >/dev/null
kiosk sync >/dev/null || fail "first sync"

step "list: sites, devices (with last sync), staff, classes, sessions, people"
srv list sites | tee "$work/sites.out" | head -3
grep -q "^id" "$work/sites.out" || fail "list sites has no header"
grep -q "$site" "$work/sites.out" || fail "list sites lacks $site"
dev_a=$(kiosk status --json | sed -n 's/.*"device_id":"\([^"]*\)".*/\1/p')
srv list devices --site $site --json | python3 -c '
import json,sys
d=[x for x in json.load(sys.stdin) if x["id"] == sys.argv[1]]
assert d and not d[0]["revoked"] and d[0]["last_seen_ms"] >= d[0]["enrolled_ms"] > 0, d' "$dev_a" ||
  fail "kiosk A ($dev_a) is not in list devices"
trainer=$(srv list staff --site $site --json | python3 -c '
import json,sys
print(next(s["id"] for s in json.load(sys.stdin) if s["role"] == "trainer" and s["active"]))')
class=$(srv list classes --site $site --json | json_field id)
[ -n "$trainer" ] && [ -n "$class" ] || fail "no trainer or class at $site"
people=$(srv list people --class "$class" --json)
python3 -c 'import json,sys; a=json.loads(sys.argv[1]); assert a and all("*" in p["id_masked"] and "id_number" not in p for p in a)' "$people" ||
  fail "list people shows an unmasked ID number or nothing"
enrolled_before=$(srv list classes --site $site --json | json_field enrolled)

step "deactivate-staff $trainer: the kiosk shows them inactive after its sync"
srv deactivate-staff --id "$trainer" | grep -q "now inactive" || fail "deactivate-staff"
srv deactivate-staff --id "$trainer" | grep -q "already inactive" || fail "a second deactivate wrote again"
kiosk sync >/dev/null || fail "sync after deactivate"
kiosk staff | grep "^$trainer " | grep -q "(inactive)" || { kiosk staff; fail "the kiosk still lets $trainer in"; }

step "a session in five days reaches the kiosk; cancel-session takes it back"
future=$(date -u -d '+5 days 8 hours' +%F)
srv session --id s-e2e-cancel --class "$class" --date "$future" --start 09:00 --end 11:00
kiosk sync >/dev/null
kiosk classes --sessions | grep -q "s-e2e-cancel" || fail "the new session did not reach the kiosk"
srv cancel-session --id s-e2e-cancel | grep -q cancelled || fail "cancel-session"
kiosk sync >/dev/null
if kiosk classes --sessions | grep -q "s-e2e-cancel"; then fail "the kiosk still holds the cancelled session"; fi

step "a session with records is refused, and nothing is written"
held=$(srv list sessions --class "$class" --json | python3 -c '
import json,sys
print(next((s["id"] for s in json.load(sys.stdin) if s["attendance"] > 0), ""))')
[ -n "$held" ] || fail "the demo class has no session with attendance"
if srv cancel-session --id "$held" >"$work/refused.out" 2>&1; then fail "a held session was cancelled"; fi
grep -q "cannot be cancelled" "$work/refused.out" || { cat "$work/refused.out"; fail "no reason given"; }
if srv cancel-class --id "$class" >"$work/refused2.out" 2>&1; then fail "a class with held sessions was cancelled"; fi
srv list sessions --class "$class" --json | grep -q "\"$held\"" || fail "the refused cancel removed $held"

step "enrol then unenrol a walk-in: the kiosk's roster follows"
id=140521199001010018  # fictional, with a valid check character
srv enrol --class "$class" --id-number $id --name "闫犇" --township 郑庄镇
kiosk sync >/dev/null
kiosk people | grep -q "闫犇" || fail "the enrolled person did not reach the kiosk"
kiosk classes | grep -A1 "^$class " | grep -q "enrolled $((enrolled_before + 1))/" ||
  { kiosk classes; fail "the kiosk's class did not grow to $((enrolled_before + 1))"; }
srv unenrol --class "$class" --id-number $id | grep -q unenrolled || fail "unenrol"
if srv unenrol --class "$class" --id-number $id >/dev/null 2>&1; then fail "a second unenrol succeeded"; fi
kiosk sync >/dev/null
kiosk classes | grep -A1 "^$class " | grep -q "enrolled $enrolled_before/" ||
  { kiosk classes; fail "the kiosk's class still counts the unenrolled person"; }

step "correct-person: the kiosk shows the corrected name"
srv correct-person --id-number $id --name "闫犇犇" --phone 13900001234 | grep -q "site-11" ||
  fail "correct-person did not write to $site"
if srv correct-person --id-number $id --add-group 外星人 >/dev/null 2>&1; then fail "an unknown key group was accepted"; fi
kiosk sync >/dev/null
kiosk people | grep -q "闫犇犇" || { kiosk people | grep 闫; fail "the corrected name did not reach the kiosk"; }
kiosk people | grep "闫犇犇" | grep -q "139\*\*\*\*1234" || fail "the corrected phone did not reach the kiosk"

step "minutes-per-hour 40: the kiosk and the county count 学时 at 40 minutes"
srv minutes-per-hour | grep -q "45 分钟" || fail "the default is not 45"
srv minutes-per-hour 40 | grep -q "written to every site" || fail "minutes-per-hour 40"
srv minutes-per-hour 40 | grep -q "already 40" || fail "a repeated setting wrote again"
if srv minutes-per-hour 500 >/dev/null 2>&1; then fail "500 minutes per 学时 was accepted"; fi
kiosk sync >/dev/null
: >"$work/hours.out"
for key in $(python3 -c 'import json,sys; print(" ".join(p["key"] for p in json.loads(sys.argv[1])[:5]))' "$people"); do
  kiosk hours --person "$key" >>"$work/hours.out"
done
python3 - "$work/hours.out" <<'PY' || { cat "$work/hours.out"; fail "the kiosk does not count at 40 minutes"; }
import re, sys
spans = re.findall(r"(\d+)/\d+ 学时 \((\d+) min\)", open(sys.argv[1]).read())
assert spans and any(int(m) >= 45 for _, m in spans), spans
assert all(int(h) == int(m) // 40 for h, m in spans), spans
PY
srv report --from 2000-01-01 --to "$(date -u -d '+8 hours' +%F)" | grep -q "1 学时 = 40 分钟" ||
  fail "the county's report does not say 40 minutes"

step "the kiosk's store and the county's statistics pass their checks"
kiosk check >/dev/null || fail "kiosk check"
srv stats verify >/dev/null || fail "stats verify"
echo "1 passed, 0 failed"
