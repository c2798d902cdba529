# Sourced by the end-to-end scripts: a work folder removed on exit (kept with
# CHZ_KEEP_TEMP), fail/step, and the county server started on 127.0.0.1.
# REQUIRES: $server set; `set -e` in the caller.
work=$(mktemp -d /tmp/chz-e2e-XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  wait 2>/dev/null || true
  [ -n "${CHZ_KEEP_TEMP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "-- $*"; }

# serve_county DIR: serves DIR over HTTPS on a free port; sets $pid and $url.
serve_county() {
  "$server" --data "$1" serve --listen 127.0.0.1 --port 0 >"$work/server.out" 2>"$work/server.err" &
  pid=$!
  for _ in $(seq 1 200); do grep -q '^listening' "$work/server.out" 2>/dev/null && break; sleep 0.05; done
  url=$(sed -n 's/^listening \(https:\/\/[^ ]*\).*/\1/p' "$work/server.out" | head -1)
  [ -n "$url" ] || { cat "$work/server.err"; fail "server did not start"; }
  echo "   $url"
}
