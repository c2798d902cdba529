#!/usr/bin/env bash
# kill -9 of the county server while it stores records and projects them
# into the read model (demo-seed: publish, county writes, kiosk ingest,
# registry), at random moments, 8 rounds; then the store opens, `stats
# verify` finds the model agreeing with its base tables and `reproject`
# rebuilds exactly the model that was there: a crash never leaves the
# model behind (or ahead of) the records.
#   model_kill.sh SERVER COURSES_DIR
set -euo pipefail
server=$1 courses=$2
. "$(dirname "$0")/lib.sh"
work_dir chz-model-kill
killed=0
for round in $(seq 1 8); do
  d="$work/county-$round"
  "$server" --data "$d" init --name "沁水县人力资源和社会保障局" --host 127.0.0.1 >/dev/null
  "$server" --data "$d" demo-seed --courses "$courses" >/dev/null 2>&1 &
  seeder=$!
  # Somewhere in the seeding's first ~1.5 s (it takes about 1-3 s).
  sleep "0.$(( (RANDOM % 14) + 1 ))"
  if kill -9 "$seeder" 2>/dev/null; then killed=$((killed + 1)); fi
  wait "$seeder" 2>/dev/null || true
  "$server" --data "$d" stats verify >"$work/verify.out" 2>&1 ||
    { echo "round $round: stats verify failed after kill -9"; cat "$work/verify.out"; exit 1; }
  "$server" --data "$d" reproject >"$work/reproject.out" 2>&1 ||
    { echo "round $round: reproject differs after kill -9"; cat "$work/reproject.out"; exit 1; }
  recs=$("$server" --data "$d" stats freshness | tail -1)
  echo "round $round: verify and reproject agree ($recs)"
done
echo "killed $killed of 8 seedings mid-write"
[ "$killed" -ge 4 ] || { echo "too few kills landed mid-write ($killed)"; exit 1; }
