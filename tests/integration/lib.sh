# Shared by the integration scripts (sourced): a temp work folder removed on
# exit (kept with CHZ_KEEP_TEMP=1), and a county server started on loopback.
#   work_dir PREFIX            sets $work; the EXIT trap stops the server, cleans up
#   start_county_server DIR [PORT [ARGS…]]  `serve` on 127.0.0.1 port PORT (0: any), with ARGS,
#                              in the background;
#                              sets $pid and $url; returns 1 if it did not start
work_dir() {
  work=$(mktemp -d "/tmp/$1-XXXXXX")
  pid=
  trap _chz_cleanup EXIT
}
_chz_cleanup() {
  # shellcheck disable=SC2086 # one pid or several
  [ -n "$pid" ] && kill $pid 2>/dev/null
  wait 2>/dev/null || true
  [ -n "${CHZ_KEEP_TEMP:-}" ] || rm -rf "$work"
}
start_county_server() {
  local dir=$1 port=${2:-0}
  shift; [ $# -gt 0 ] && shift
  "$server" --data "$dir" serve --listen 127.0.0.1 --port "$port" "$@" >"$work/server.out" 2>"$work/server.err" &
  pid=$!
  for _ in $(seq 1 200); do grep -q '^listening' "$work/server.out" 2>/dev/null && break; sleep 0.05; done
  url=$(sed -n 's/^listening \(https:\/\/[^ ]*\).*/\1/p' "$work/server.out" | head -1)
  [ -n "$url" ] || { cat "$work/server.err"; return 1; }
}
