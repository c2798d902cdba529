# Later stages of packaging/demo, each run only when its parts are built.
# Sourced by packaging/demo (variables: root build demo kdata port pids;
# helpers say/have; binaries kioskctl server content kiosk_ui).

demo_server() {
  have sync/server/chizheng-server || { echo "(county server not built: skipping)"; return 1; }
  local sdata="$demo/county"
  say "3. county server: keys, CA, embedded store, demo county (沁水县), demo courses"
  "$server" --data "$sdata" init --name "沁水县人力资源和社会保障局" --area-code 140521 --host 127.0.0.1 --host localhost
  "$server" --data "$sdata" demo-seed --courses "$root/content/courses"
  # Two demo trainees the tour signs in with (fictional; rare characters).
  "$server" --data "$sdata" enrol --class class-site-11-1 --id-number 140521197003123017 \
    --name "张𠮷" --township 十里乡 --village 南峪村 --groups 农村转移就业劳动者
  "$server" --data "$sdata" enrol --class class-site-11-1 --id-number 140521198306152426 \
    --name "阿依古丽·买买提" --township 十里乡 --village 孔峪村 --groups 就业困难人员
  # A site admin for the tour (and for you, windowed): first sign-in at the
  # kiosk sets a PIN with this one-time setup code.
  "$server" --data "$sdata" staff --id staff-demo-admin --name "韩秀梅" --role site_admin \
    --site "${CHZ_DEMO_SITE:-site-11}" --setup-code 20261123
  echo "staff sign-in: 教师入口 → 韩秀梅, setup code 20261123, then choose a 6-digit PIN"
  # The county's statistics over the seeded history (the read model is
  # current with every stored record): this year, by township.
  local year
  year=$(TZ=Asia/Shanghai date +%Y)
  "$server" --data "$sdata" report --from "$year-01-01" --to "$year-12-31" --by township
  "$server" --data "$sdata" report --from "$year-01-01" --to "$year-12-31" --by township \
    --format xlsx -o "$demo/县培训持证统计表.xlsx"
  echo "(more: chizheng-server --data $sdata report --help; stats freshness; registry status)"
  # Dashboard users for the demo: a fresh random password each run (never
  # one kept in the repository), printed below with the address.
  demo_password="Demo-$(head -c 9 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 10)7a"
  printf '%s\n' "$demo_password" | "$server" --data "$sdata" user add --name 县局管理员 --role admin
  printf '%s\n' "$demo_password" | "$server" --data "$sdata" user add --name 县局查看员 --role viewer
  "$server" --data "$sdata" serve --listen 127.0.0.1 --port "$port" >"$demo/server.log" 2>&1 &
  server_pid=$!
  pids+=($server_pid)
  for _ in $(seq 1 100); do
    grep -q '^listening' "$demo/server.log" 2>/dev/null && break
    sleep 0.1
  done
  grep '^listening' "$demo/server.log" || { cat "$demo/server.log"; return 1; }
  server_url="https://127.0.0.1:$port"
  echo "dashboard: $server_url/  (sign in as 县局管理员 or 县局查看员, password $demo_password)"
  echo "  the county CA is self-signed: the browser asks once; its certificate is $sdata/county-ca.pem"
}

demo_enroll_and_sync() {
  local sdata="$demo/county" site="${CHZ_DEMO_SITE:-site-11}"
  say "4. kiosk: enroll with a one-time code for $site, then sync"
  local code
  code=$("$server" --data "$sdata" code --site "$site" --hours 1 | tail -1)
  echo "enrollment code: $code (one-time, expires in 1 h)"
  "$kioskctl" --data "$kdata" enroll --server "$server_url" --code "$code"
  "$kioskctl" --data "$kdata" sync
  "$kioskctl" --data "$kdata" sync-status || true
  "$kioskctl" --data "$kdata" content || true
  "$kioskctl" --data "$kdata" status
}

demo_ui() {
  have app/ui/chizheng-kiosk || { echo "(kiosk UI not built: skipping)"; return 0; }
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${CHZ_DEMO_HEADLESS:-0}" != 1 ]; then
    say "5. kiosk UI (windowed; close the window or Ctrl+C to stop)"
    "$kiosk_ui" --data "$kdata" --windowed
    return
  fi
  say "5. kiosk UI under Xvfb: a scripted tour with screenshots"
  local n=$(( 90 + RANDOM % 300 ))
  while [ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ]; do n=$((n + 1)); done
  Xvfb ":$n" -screen 0 1366x768x24 -nolisten tcp >"$demo/xvfb.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do [ -e /tmp/.X11-unix/X$n ] && break; sleep 0.05; done
  mkdir -p "$demo/shots" "$demo/usb"
  (cd "$demo" && DISPLAY=":$n" SDL_AUDIODRIVER=dummy "$kiosk_ui" --data "$kdata" \
    --usb "$demo/usb" --script "$root/packaging/demo-tour.txt")
  echo "screenshots (open them):"
  ls -1 "$demo"/shots/*.png | sed 's/^/  /'
}

run_demo_stages() {
  if demo_server; then
    demo_enroll_and_sync
  fi
  demo_ui
  # At a terminal, keep the county server (and its dashboard) up until Ctrl+C.
  if [ -n "${server_url:-}" ] && [ -t 0 ] && [ "${CHZ_DEMO_HEADLESS:-0}" != 1 ]; then
    say "the county server keeps running: dashboard $server_url/ (Ctrl+C stops it)"
    wait "$server_pid" || true
  fi
}
