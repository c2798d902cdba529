#!/usr/bin/env bash
# Installs both .debs in a throwaway Debian 12 root (mmdebstrap, then
# chroot) and walks each through install, reinstall, upgrade, remove,
# reinstall and purge, checking the system user, the data folder's owner
# and modes (0700 folder, 0600 store and keys made by the real programs),
# the conffiles, that data survives everything but purge and that purge
# deletes it. systemd-analyze verify runs on the installed units with the
# installed binaries. packaging/test --full runs it.
# The root (the packages' Depends and nothing else) is cached as a tarball
# in BUILD/test-artifacts/, keyed by that list, so a second run needs no
# network. Exit 77 (SKIP, with the reason) when not root, when mmdebstrap
# is missing, or when the Debian mirror cannot be reached.
# Usage: install_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (chroot, mount)"
command -v mmdebstrap >/dev/null || skip "mmdebstrap is not installed (packaging/debian-packages.txt)"
t0=$(date +%s)
art=$build/test-artifacts
debs=$art/debs-install
"$src/packaging/build-debs" --build-dir "$build" --out "$debs"
server=$(ls "$debs"/chizheng-server_*.deb)
kiosk=$(ls "$debs"/chizheng-kiosk_*.deb)

# The root: every package the two Depends name (versions dropped; apt
# checks them at install), plus what the test itself runs.
deps=$( (dpkg-deb --field "$server" Depends; echo ","; dpkg-deb --field "$kiosk" Depends) |
  tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/ //g' | awk 'NF' | sort -u | paste -sd, -)
deps="$deps,systemd,passwd,util-linux"
key=$(printf '%s' "$deps" | sha256sum | cut -c1-12)
tarball=$art/debian-root-$key.tar
if [ ! -f "$tarball" ]; then
  echo "install_test: making a Debian 12 root with: $deps"
  rm -f "$art"/debian-root-*.tar
  mkdir -p "$art"
  if ! mmdebstrap --variant=apt --format=tar --include="$deps" --skip=cleanup/apt/lists bookworm \
    "$tarball.part" >"$art/mmdebstrap.log" 2>&1; then
    rm -f "$tarball.part"
    if grep -qiE 'could not resolve|failed to fetch|temporary failure|unable to connect|network is unreachable' \
      "$art/mmdebstrap.log"; then
      skip "the Debian mirror cannot be reached: $(grep -iE 'resolve|fetch|connect|unreachable' "$art/mmdebstrap.log" | head -1)"
    fi
    echo "FAIL: mmdebstrap failed (log $art/mmdebstrap.log):"
    tail -20 "$art/mmdebstrap.log"
    exit 1
  fi
  mv "$tarball.part" "$tarball"
fi
echo "install_test: root ready after $(($(date +%s) - t0)) s ($(($(stat -c %s "$tarball") >> 20)) MiB tarball)"

root=$(mktemp -d /tmp/chz-debroot.XXXXXX)
cleanup() {
  for m in proc dev/pts dev; do umount "$root/$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$root"
}
trap cleanup EXIT
tar -C "$root" -xf "$tarball"
mount --bind /dev "$root/dev"
mount -t devpts devpts "$root/dev/pts" 2>/dev/null || true
mount -t proc proc "$root/proc"
cp "$server" "$kiosk" "$root/tmp/"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 \
  DEBIAN_FRONTEND=noninteractive "$@"; }
# dpkg -i: refuses (and the test fails) when a Depends is not met in the root.
deb_install() { in_root dpkg -i --force-confold "$@" >"$art/dpkg.log" 2>&1 || { cat "$art/dpkg.log"; return 1; }; }

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
check() {  # check DESCRIPTION COMMAND...: runs in the root
  local what=$1
  shift
  if out=$(in_root sh -c "$*" 2>&1); then ok "$what"; else fail "$what: $out"; fi
}
mode_of() { in_root stat -c '%a %U:%G' "$1" 2>/dev/null || echo missing; }
want_mode() {  # want_mode PATH "MODE USER:GROUP"
  local m
  m=$(mode_of "$1")
  [ "$m" = "$2" ] && ok "$1 $m" || fail "$1 is '$m', wanted '$2'"
}
sum_of() { in_root sha256sum "$@" 2>/dev/null | awk '{print $1}' | paste -sd' '; }

# bump DEB: the same package as a higher version, to walk the upgrade path.
bump() {
  local deb=$1 dir v
  dir=$(mktemp -d)
  dpkg-deb -R "$deb" "$dir"
  v=$(sed -n 's/^Version: //p' "$dir/DEBIAN/control")
  sed -i "s/^Version: .*/Version: $v.1/" "$dir/DEBIAN/control"
  dpkg-deb --root-owner-group -Zxz -b "$dir" "${deb%.deb}.1.deb" >/dev/null
  rm -rf "$dir"
  echo "${deb%.deb}.1.deb"
}

# walk PKG DEB MAKE_DATA FILES...: the whole life of one package.
# MAKE_DATA runs as the package's user and fills its data folder; FILES are
# the private files (relative to the data folder) it must have made.
walk() {
  local pkg=$1 deb=$2 make=$3
  shift 3
  local data=/var/lib/$pkg files=("$@") up before after uid
  echo "== $pkg: install"
  local ti=$(date +%s%N)
  deb_install "/tmp/$(basename "$deb")" || { fail "$pkg does not install"; return; }
  echo "install_time $pkg $(( ($(date +%s%N) - ti) / 1000000 )) ms"
  check "$pkg user is a system user with no login" \
    "getent passwd $pkg | awk -F: '\$3 < 1000 && \$7 == \"/usr/sbin/nologin\" && \$6 == \"$data\"' | grep -q ."
  want_mode "$data" "700 $pkg:$pkg"
  if [ "$pkg" = chizheng-kiosk ]; then
    # input and render exist once udev is installed (every real terminal);
    # this root has video and audio.
    check "the kiosk user is in video, render, input, audio (those that exist)" \
      "getent group video >/dev/null && for g in video render input audio; do ! getent group \$g >/dev/null || id -nG $pkg | grep -qw \$g || { echo not in \$g; exit 1; }; done"
    check "/etc/pam.d/chizheng-kiosk is installed" "test -f /etc/pam.d/chizheng-kiosk"
  fi
  check "$pkg.service is enabled" "test -L /etc/systemd/system/*.target.wants/$pkg.service"
  check "systemd-analyze verify $pkg.service (installed binaries)" \
    "out=\$(systemd-analyze verify /lib/systemd/system/$pkg.service 2>&1); [ -z \"\$out\" ] || { echo \"\$out\"; false; }"
  echo "== $pkg: the program makes its data as $pkg"
  check "$make" "runuser -u $pkg -- $make >/dev/null"
  for f in "${files[@]}"; do want_mode "$data/$f" "600 $pkg:$pkg"; done
  if [ "$pkg" = chizheng-server ]; then
    # packaging/server/README.md steps 4 and 5, as written there.
    local S="runuser -u chizheng-server -- chizheng-server"
    check "README: user add (password on standard input)" \
      "printf '%s\\n' 'Zhang-San-2026!pw' | $S user add --name 张三 --role admin >/dev/null && $S user list | grep -q 张三"
    check "README: site" "$S site --id site-01 --name 嘉峰镇培训站 --township 嘉峰镇"
    check "README: publish a shipped course" \
      "$S publish --course-dir /usr/share/chizheng-server/courses/hangong | grep -q published"
    check "README: code" "$S code --site site-01 --hours 72 | tail -1 | grep -q ."
    check "README: code to a USB file" "mkdir -p /media/usb && $S code --site site-01 --hours 72 --url https://10.0.0.5:8443 --usb-file /tmp/chizheng-enroll.txt >/dev/null && mv /tmp/chizheng-enroll.txt /media/usb/ && grep -q '^code=' /media/usb/chizheng-enroll.txt"
  fi
  if [ "$pkg" = chizheng-kiosk ]; then
    check "README: kioskctl status" "runuser -u chizheng-kiosk -- chizheng-kioskctl status >/dev/null"
  fi
  before=$(sum_of "${files[@]/#/$data/}")
  uid=$(in_root id -u "$pkg")
  # An administrator's change to the conffile must survive everything but purge.
  local conf
  conf=$(dpkg-deb --info "$deb" conffiles | head -1)
  in_root sh -c "echo '# changed by the county' >> $conf"

  echo "== $pkg: reinstall"
  deb_install "/tmp/$(basename "$deb")" || fail "$pkg does not reinstall"
  [ "$(sum_of "${files[@]/#/$data/}")" = "$before" ] && ok "reinstall keeps the data" || fail "reinstall changed the data"
  [ "$(in_root id -u "$pkg")" = "$uid" ] && ok "reinstall keeps uid $uid" || fail "reinstall changed the uid"
  check "reinstall keeps the changed $conf" "grep -q 'changed by the county' $conf"
  want_mode "$data" "700 $pkg:$pkg"

  echo "== $pkg: upgrade to a higher version"
  up=$(bump "$deb")
  cp "$up" "$root/tmp/"
  deb_install "/tmp/$(basename "$up")" || fail "$pkg does not upgrade"
  check "the upgrade is installed" "dpkg-query -W -f='\${Version}' $pkg | grep -q '\\.1\$'"
  [ "$(sum_of "${files[@]/#/$data/}")" = "$before" ] && ok "upgrade keeps the data" || fail "upgrade changed the data"
  check "upgrade keeps the changed $conf" "grep -q 'changed by the county' $conf"

  echo "== $pkg: remove"
  in_root apt-get remove -y -q "$pkg" >"$art/apt.log" 2>&1 || { cat "$art/apt.log"; fail "$pkg does not remove"; }
  check "remove takes the program" "! test -e /usr/bin/$pkg"
  [ "$(sum_of "${files[@]/#/$data/}")" = "$before" ] && ok "remove keeps the data" || fail "remove lost the data"
  check "remove keeps $conf" "test -f $conf"
  check "remove keeps the user" "getent passwd $pkg >/dev/null"

  echo "== $pkg: install again after remove"
  deb_install "/tmp/$(basename "$up")" || fail "$pkg does not install again"
  [ "$(sum_of "${files[@]/#/$data/}")" = "$before" ] && ok "installing again keeps the data" || fail "installing again changed the data"
  want_mode "$data" "700 $pkg:$pkg"

  echo "== $pkg: purge"
  in_root apt-get purge -y -q "$pkg" >"$art/apt.log" 2>&1 || { cat "$art/apt.log"; fail "$pkg does not purge"; }
  check "purge deletes $data" "! test -e $data"
  check "purge deletes $conf" "! test -e $conf"
  check "purge leaves no enablement link" "! ls /etc/systemd/system/*/$pkg.service 2>/dev/null | grep -q ."
  check "dpkg forgets $pkg" "! dpkg-query -W -f='\${Status}' $pkg 2>/dev/null | grep -q installed"
  rm -f "$up"
}

walk chizheng-server "$server" "chizheng-server init --host 127.0.0.1" \
  county.json server-key.pem county.db county.key
walk chizheng-kiosk "$kiosk" "chizheng-kioskctl init" store.db store.key
echo "install_test: done in $(($(date +%s) - t0)) s"
if [ "$fails" -gt 0 ]; then
  echo "install_test: $fails failure(s)"
  exit 1
fi
echo "install_test: both packages pass"
