#!/usr/bin/env bash
# Commands run twice, or twice at once, through the real binaries: each says
# what happened, and nothing already stored is lost or doubled.
#  - every binary answers --version with version, commit and build day;
#  - chizheng-server takes --log-level (and refuses a bad one) without aborting;
#  - eight `init` at once on one folder: one store, the rest told why;
#  - an emptied or deleted store.db is damage, never silently a new store;
#  - `rotate-key` while `demo-fill` writes: refused as busy or done after it,
#    and every attendance record demo-fill wrote is there;
#  - two `enroll` at once: one enrolls, the other is told why;
#  - two `sync` at once: the second says another sync is running;
#  - a site bundle imported twice on the kiosk, a kiosk bundle twice on the
#    county, a course published twice: the second says nothing new; changed
#    course content under a published version is refused.
# Usage: repeat_and_race.sh SERVER KIOSKCTL KIOSK_UI CONTENT_TOOL COURSES_DIR
set -uo pipefail
server=$1 kioskctl=$2 kiosk_ui=$3 content_tool=$4 courses=$5
. "$(dirname "$0")/e2e_common.sh"
passed=0 failed=0
ok() { echo "PASS $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
expect() { # NAME COMMAND... : passes iff the command succeeds
  local name=$1; shift
  if "$@"; then ok "$name"; else bad "$name"; fi
}
count_of() { # DATA TABLE
  "$kioskctl" --data "$1" status --json | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"
}

echo "-- --version"
for b in "$server" "$kioskctl" "$kiosk_ui" "$content_tool"; do
  name=$(basename "$b")
  v=$("$b" --version 2>&1)
  expect "$name --version: '$v'" grep -qE "^$name [0-9]+\.[0-9]+\.[0-9]+ \(commit [^,]+, built [0-9]{4}-[0-9]{2}-[0-9]{2}\)$" <<<"$v"
done

echo "-- chizheng-server --log-level"
county="$work/county"
"$server" --data "$county" init --name "沁水县人力资源和社会保障局" --host 127.0.0.1 >/dev/null
"$server" --log-level debug --data "$county" faults >"$work/ll.out" 2>&1
expect "--log-level debug runs the command (exit $?)" test $? -eq 0
"$server" --log-level warn --data "$county" faults >/dev/null 2>&1
expect "--log-level warn runs the command" test $? -eq 0
"$server" --log-level loud --data "$county" faults >"$work/ll2.out" 2>&1
rc=$?
expect "--log-level loud is refused, not aborted (exit $rc)" test $rc -ne 0 -a $rc -lt 128
expect "--log-level loud: the refusal names the option" grep -q "log-level" "$work/ll2.out"

echo "-- eight init at once"
for i in 1 2 3 4 5 6 7 8; do "$kioskctl" --data "$work/twin" init >"$work/init-$i.out" 2>&1 & done
wait
wins=$(grep -l '已创建' "$work"/init-*.out | wc -l)
told=$(grep -lE 'another program|already exists' "$work"/init-*.out | wc -l)
expect "one init won (won: $wins)" test "$wins" -eq 1
expect "the other seven were told why (told: $told)" test "$told" -eq 7
expect "the winner's store passes its checks" "$kioskctl" --data "$work/twin" check

echo "-- an emptied store is damage"
: >"$work/twin/store.db"
"$kioskctl" --data "$work/twin" status >"$work/empty.out" 2>&1
rc=$?
expect "status on an empty store.db fails (exit $rc)" test $rc -ne 0
expect "it says the store is empty and how to restore" grep -q "is empty (0 bytes).*restore" "$work/empty.out"
expect "store.db is still 0 bytes (no new store)" test ! -s "$work/twin/store.db"
rm -f "$work/twin/store.db"
"$kioskctl" --data "$work/twin" init >"$work/init-again.out" 2>&1
rc=$?
expect "init beside a leftover key fails (exit $rc)" test $rc -ne 0
expect "init says store.db is missing, not that a store exists" grep -q "is missing" "$work/init-again.out"

echo "-- rotate-key while demo-fill writes"
"$kioskctl" --data "$work/ref" init >/dev/null
"$kioskctl" --data "$work/ref" demo-fill --people 40 --days 30 --site site-02 >/dev/null
want=$(count_of "$work/ref" attendance)
"$kioskctl" --data "$work/rot" init >/dev/null
"$kioskctl" --data "$work/rot" demo-fill --people 40 --days 30 --site site-02 >/dev/null &
fill=$!
sleep 0.3
expect "demo-fill is still writing when rotate-key starts" kill -0 $fill
"$kioskctl" --data "$work/rot" rotate-key >"$work/rotate.out" 2>&1
rot_rc=$?
wait $fill
fill_rc=$?
cat "$work/rotate.out"
expect "demo-fill finished (exit $fill_rc)" test $fill_rc -eq 0
if [ $rot_rc -ne 0 ]; then
  expect "a refused rotation says the store is busy" grep -q "busy" "$work/rotate.out"
fi
got=$(count_of "$work/rot" attendance)
expect "attendance after rotation: $got, as without rotation: $want" test "$got" = "$want" -a "${want:-0}" -gt 0
expect "rotation afterwards succeeds" "$kioskctl" --data "$work/rot" rotate-key
expect "the rotated store passes its checks" "$kioskctl" --data "$work/rot" check

echo "-- county server for the sync and import checks"
"$server" --data "$county" demo-seed --courses "$courses" >/dev/null

echo "-- a course published twice, and changed under the same version"
"$server" --data "$county" publish --course-dir "$courses/zhongfeng-yangzhi" >"$work/pub1.out" 2>&1
expect "publishing a demo course again says nothing new" grep -q "^nothing new: zhongfeng-yangzhi-v1" "$work/pub1.out"
cp -r "$courses/zhongfeng-yangzhi" "$work/changed-course"
echo "补充一句：蜂箱要放平。" >>"$work/changed-course/lessons/01-fengqun-zucheng.md"
"$server" --data "$county" publish --course-dir "$work/changed-course" >"$work/pub2.out" 2>&1
rc=$?
expect "changed content under a published version is refused (exit $rc)" test $rc -ne 0
expect "the refusal says to raise the version" grep -q "raise the version" "$work/pub2.out"
"$server" --data "$county" serve --listen 127.0.0.1 --port 0 >"$work/server.out" 2>"$work/server.err" &
pid=$!
for _ in $(seq 1 200); do grep -q '^listening' "$work/server.out" 2>/dev/null && break; sleep 0.05; done
url=$(sed -n 's/^listening \(https:\/\/[^ ]*\).*/\1/p' "$work/server.out" | head -1)
[ -n "$url" ] || { cat "$work/server.err"; bad "server did not start"; echo "$passed passed, $failed failed"; exit 1; }
k="$work/kiosk"
"$kioskctl" --data "$k" init >/dev/null
echo "-- two enrollments at once, with two codes"
code1=$("$server" --data "$county" code --site site-11 --hours 1 | tail -1)
code2=$("$server" --data "$county" code --site site-11 --hours 1 | tail -1)
"$kioskctl" --data "$k" enroll --server "$url" --code "$code1" >"$work/enr1.out" 2>&1 &
e1=$!
"$kioskctl" --data "$k" enroll --server "$url" --code "$code2" >"$work/enr2.out" 2>&1 &
e2=$!
wait $e1; r1=$?
wait $e2; r2=$?
cat "$work/enr1.out" "$work/enr2.out"
expect "exactly one enrollment succeeded ($r1, $r2)" test $((r1 == 0 ? 1 : 0)) -ne $((r2 == 0 ? 1 : 0))
expect "the other was told why" grep -qE "another sync or enrollment|already enrolled" "$work/enr1.out" "$work/enr2.out"
"$kioskctl" --data "$k" demo-fill --people 5 --days 2 --site site-11 >/dev/null
dev=$("$kioskctl" --data "$k" status --json | sed -n 's/.*"device_id":"\([^"]*\)".*/\1/p')

echo "-- a kiosk bundle imported twice on the county (before any network sync)"
mkdir -p "$work/stick"
"$kioskctl" --data "$k" export-usb "$work/stick" >/dev/null
bundle=$(ls "$work"/stick/* | head -1)
"$server" --data "$county" import-bundle "$bundle" >"$work/cimp1.out" 2>&1
"$server" --data "$county" import-bundle "$bundle" >"$work/cimp2.out" 2>&1
cat "$work/cimp1.out" "$work/cimp2.out"
expect "the first county import says what it added" grep -q "^imported [1-9][0-9]* new records" "$work/cimp1.out"
expect "the second county import says nothing new" grep -q "^nothing new" "$work/cimp2.out"

echo "-- a site bundle imported twice on the kiosk"
"$server" --data "$county" export-site-bundle --device "$dev" --out "$work/site.chzb" >/dev/null
"$kioskctl" --data "$k" import-usb "$work/site.chzb" >"$work/imp1.out" 2>&1
"$kioskctl" --data "$k" import-usb "$work/site.chzb" >"$work/imp2.out" 2>&1
cat "$work/imp1.out" "$work/imp2.out"
expect "the first import says how many were new" grep -q "^imported [1-9][0-9]* new records" "$work/imp1.out"
expect "the second import says nothing new" grep -q "^nothing new" "$work/imp2.out"

echo "-- two syncs at once"
"$kioskctl" --data "$k" sync >"$work/sync1.out" 2>&1 &
s1=$!
"$kioskctl" --data "$k" sync >"$work/sync2.out" 2>&1 &
s2=$!
wait $s1; r1=$?
wait $s2; r2=$?
cat "$work/sync1.out" "$work/sync2.out" | grep -v '^ *$' | head -6
if [ $r1 -eq 0 ] && [ $r2 -eq 0 ]; then
  ok "both syncs succeeded one after the other"
else
  expect "one sync succeeded" test $r1 -eq 0 -o $r2 -eq 0
  expect "the other says another sync is running" grep -q "another sync or enrollment of this kiosk is running" "$work/sync1.out" "$work/sync2.out"
fi
expect "no sync says 'replayed'" bash -c "! grep -qi replay '$work/sync1.out' '$work/sync2.out'"

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
