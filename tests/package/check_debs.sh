#!/usr/bin/env bash
# Builds both .debs from this build (packaging/build-debs --build-dir) and
# checks what is inside with dpkg-deb: each file in its package with its
# mode and root ownership, the conffiles, maintainer scripts that parse,
# and Depends computed from the binaries: every library a binary links
# (readelf NEEDED) belongs to a package named in Depends. lintian, when
# installed, is run and its findings printed (never a failure).
# Usage: check_debs.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
out=$build/test-artifacts/debs
rm -rf "$out"
"$src/packaging/build-debs" --build-dir "$build" --out "$out"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

deb_of() {
  local f
  f=$(ls "$out"/"$1"_*.deb 2>/dev/null | head -1)
  [ -n "$f" ] || { echo "FAIL: no $1 .deb in $out"; exit 1; }
  echo "$f"
}

# want DEB MODE PATH: the file is in the package, root-owned, with MODE.
want() {
  local deb=$1 mode=$2 path=$3 line
  line=$(dpkg-deb --contents "$deb" | awk -v p="./$path" '$6 == p {print $1, $2}')
  if [ -z "$line" ]; then
    fail "$(basename "$deb") lacks /$path"
  elif [ "$line" != "$mode root/root" ]; then
    fail "$(basename "$deb") /$path is '$line', wanted '$mode root/root'"
  else
    ok "/$path $mode root/root"
  fi
}

# depends_cover DEB: every NEEDED library of every binary is in Depends
# (by the package owning the file, or a name that package Provides).
depends_cover() {
  local deb=$1 x tmpd depends lib path owner names n before=$fails
  depends=$(dpkg-deb --field "$deb" Depends)
  [ -n "$depends" ] || { fail "$(basename "$deb") has no Depends"; return; }
  [[ $depends == *"libc6 (>= "* ]] || fail "$(basename "$deb") Depends has no versioned libc6: not from dpkg-shlibdeps? ($depends)"
  # The package names in Depends, one a line (versions and alternatives dropped).
  names=$(tr ',|' '\n\n' <<<"$depends" | sed 's/(.*)//; s/ //g' | awk 'NF')
  tmpd=$(mktemp -d)
  dpkg-deb -x "$deb" "$tmpd"
  for x in "$tmpd"/usr/bin/*; do
    file -b "$x" | grep -q 'not stripped' && fail "$(basename "$x") is not stripped"
    for lib in $(readelf -d "$x" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
      path=$(ldconfig -p | awk -v l="$lib" '$1 == l && !p {print $NF; p = 1}')  # no early exit: SIGPIPE + pipefail
      [ -n "$path" ] || { fail "$(basename "$x") needs $lib, not found by ldconfig"; continue; }
      owner=$( (dpkg -S "$path" 2>/dev/null || dpkg -S "$(realpath "$path")" 2>/dev/null || true) |
        head -1 | cut -d: -f1)
      [ -n "$owner" ] || { fail "$lib ($path): no package owns it"; continue; }
      local covered=0
      for n in $owner $(dpkg-query -W -f='${Provides}' "$owner" | tr ',' '\n' | sed 's/(.*)//; s/ //g'); do
        grep -qxF "$n" <<<"$names" && covered=1
      done
      [ $covered = 1 ] || fail "$(basename "$x") links $lib from $owner, which Depends does not name"
    done
  done
  rm -rf "$tmpd"
  [ "$fails" -gt "$before" ] || ok "$(basename "$deb") Depends covers every linked library: $depends"
}

server=$(deb_of chizheng-server)
kiosk=$(deb_of chizheng-kiosk)
for deb in "$server" "$kiosk"; do
  echo "== $(basename "$deb") ($(($(stat -c %s "$deb") / 1024)) KiB)"
  dpkg-deb --info "$deb" | sed -n '/Package:/,$p' | sed 's/^/   /'
done

echo "== files"
want "$server" -rwxr-xr-x usr/bin/chizheng-server
want "$server" -rwxr-xr-x usr/bin/chizheng-content
want "$server" -rw-r--r-- usr/share/chizheng-server/web/index.html
want "$server" -rw-r--r-- lib/systemd/system/chizheng-server.service
want "$server" -rw-r--r-- etc/chizheng/server.env
want "$server" -rw-r--r-- usr/share/doc/chizheng-server/README.md
want "$kiosk" -rwxr-xr-x usr/bin/chizheng-kiosk
want "$kiosk" -rwxr-xr-x usr/bin/chizheng-kioskctl
want "$kiosk" -rw-r--r-- lib/systemd/system/chizheng-kiosk.service
want "$kiosk" -rw-r--r-- etc/chizheng/kiosk.env
want "$kiosk" -rw-r--r-- etc/pam.d/chizheng-kiosk
want "$kiosk" -rw-r--r-- usr/share/doc/chizheng-kiosk/README.md
# Each program in one package only; no data folder shipped (postinst makes it).
dpkg-deb --contents "$server" | grep -q 'chizheng-kiosk' && fail "the server package holds kiosk files"
dpkg-deb --contents "$kiosk" | grep -q 'usr/bin/chizheng-server' && fail "the kiosk package holds the server"
for deb in "$server" "$kiosk"; do
  dpkg-deb --contents "$deb" | grep -q './var/' && fail "$(basename "$deb") ships /var (postinst makes the data folder)"
done
web_files=$(dpkg-deb --contents "$server" | grep -c './usr/share/chizheng-server/web/.' || true)
[ "$web_files" -eq "$(find "$build/web" -type f | wc -l)" ] &&
  ok "all $web_files dashboard files of $build/web" ||
  fail "$web_files dashboard files in the package, $(find "$build/web" -type f | wc -l) in $build/web"

echo "== conffiles and maintainer scripts"
for pair in "$server:/etc/chizheng/server.env" "$kiosk:/etc/chizheng/kiosk.env" \
  "$kiosk:/etc/pam.d/chizheng-kiosk"; do
  deb=${pair%%:*} f=${pair#*:}
  dpkg-deb --info "$deb" conffiles | grep -qx "$f" && ok "$f is a conffile" || fail "$f is not a conffile of $(basename "$deb")"
done
for deb in "$server" "$kiosk"; do
  ctl=$(mktemp -d)
  dpkg-deb -e "$deb" "$ctl"
  for s in postinst prerm postrm; do
    if [ ! -x "$ctl/$s" ]; then
      fail "$(basename "$deb") has no executable $s"
    elif ! sh -n "$ctl/$s"; then
      fail "$(basename "$deb") $s does not parse"
    elif grep -q '@[A-Z_]*@' "$ctl/$s"; then
      fail "$(basename "$deb") $s keeps a template placeholder"
    fi
  done
  grep -q 'rm -rf "$data"' "$ctl/postrm" && awk '/^purge\)/,/;;/' "$ctl/postrm" | grep -q 'rm -rf' &&
    ! awk '/^remove\)/,/;;/' "$ctl/postrm" | grep -q 'rm -rf' &&
    ok "$(basename "$deb") postrm deletes data on purge only" ||
    fail "$(basename "$deb") postrm: data must go on purge and only on purge"
  rm -rf "$ctl"
done

echo "== Depends"
depends_cover "$server"
depends_cover "$kiosk"
kdep=$(dpkg-deb --field "$kiosk" Depends)
for p in cage fonts-wqy-microhei fonts-hanazono rime-data-luna-pinyin libsdl2; do
  [[ $kdep == *"$p"* ]] || fail "the kiosk's Depends lacks $p"
done
[[ $(dpkg-deb --field "$server" Depends) == *libsystemd0* ]] || fail "the server's Depends lacks libsystemd0 (sd_notify)"

if command -v lintian >/dev/null; then
  echo "== lintian (printed, not a failure)"
  for deb in "$server" "$kiosk"; do lintian --no-tag-display-limit "$deb" 2>&1 | sed 's/^/   /' || true; done
else
  echo "== lintian is not installed: not run"
fi
if [ "$fails" -gt 0 ]; then
  echo "check_debs: $fails failure(s)"
  exit 1
fi
echo "check_debs: both packages pass"
