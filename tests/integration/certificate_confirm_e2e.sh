#!/usr/bin/env bash
# County decisions on certificates, through the real binaries over HTTPS on
# loopback:
#  - a kiosk enrolled at a site issues two certificates (待确认) and syncs;
#  - the county lists both pending (names masked, device signatures valid),
#    confirms one with a 专项职业能力证书 number and rejects the other with a
#    reason, and refuses what it must (unknown number, bad kind, a second
#    decision); confirming twice writes nothing;
#  - the kiosk syncs and shows 已确认 with the number, and 驳回 with the reason;
#  - verify-certificate on the exported document reports the county
#    signature valid (with the kiosk's key and with --county-key elsewhere);
#    a document whose qualification number was edited is reported;
#  - an annulment (注销) reaches the kiosk with its reason.
# Usage: certificate_confirm_e2e.sh SERVER KIOSKCTL ISSUE_HELPER COURSES_DIR
set -euo pipefail
server=$1 kioskctl=$2 issue=$3
source "$(dirname "$0")/lib.sh"
work_dir chz-cert
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "-- $*"; }
has() { grep -qF -- "$2" "$1" || { cat "$1"; fail "$3"; }; }

county="$work/county" kiosk="$work/kiosk" site=140521101
step "county: init, a site, serve on 127.0.0.1 (port 0)"
"$server" --data "$county" init --name "沁水县人力资源和社会保障局" --area-code 140521 \
  --host 127.0.0.1 >/dev/null
"$server" --data "$county" site --id "$site" --name "沁水县龙港镇农民夜校" --township "龙港镇"
start_county_server "$county" || fail "server did not start"
echo "   $url"

step "a kiosk enrolls, issues two certificates and syncs"
"$kioskctl" --data "$kiosk" init >/dev/null
code=$("$server" --data "$county" code --site "$site" --hours 1 | tail -1)
"$kioskctl" --data "$kiosk" enroll --server "$url" --code "$code" >/dev/null
"$issue" "$kiosk" "张𠮷祥" "李淑芬" >"$work/numbers"
n1=$(sed -n 1p "$work/numbers") n2=$(sed -n 2p "$work/numbers")
[ -n "$n1" ] && [ -n "$n2" ] || fail "no certificates issued"
# Short numbers: the county's area code, the year, the device number, the serial.
[[ "$n1" =~ ^140521-[0-9]{2}-[0-9]{3}-0001$ ]] || fail "certificate 1 numbered $n1, not 140521-YY-NNN-0001"
[[ "$n2" =~ ^140521-[0-9]{2}-[0-9]{3}-0002$ ]] || fail "certificate 2 numbered $n2, not 140521-YY-NNN-0002"
echo "   $n1 $n2"
"$kioskctl" --data "$kiosk" certificates >"$work/list0"
has "$work/list0" "$n1  zhongfeng-yangzhi" "certificate 1 not listed"
grep -q "待确认" "$work/list0" || fail "a new certificate is not 待确认"
"$kioskctl" --data "$kiosk" sync >"$work/sync1" || { cat "$work/sync1"; fail "sync (upload)"; }

step "the county lists both pending, names masked, device signatures valid"
"$server" --data "$county" cert pending >"$work/pending"
cat "$work/pending"
has "$work/pending" "2 pending" "not two pending"
grep -F "$n1" "$work/pending" | grep -qF "张*" || fail "certificate 1 not pending with a masked name"
grep -F "$n1" "$work/pending" | grep -q "device signature valid" || fail "signature not valid"
! grep -qF "张𠮷祥" "$work/pending" || fail "a full name on the pending list"
grep -F "$n2" "$work/pending" | grep -qF "李*" || fail "certificate 2 not pending"

step "confirm 1 (typed without dashes) with a number, reject 2 with a reason; refusals write nothing"
"$server" --data "$county" cert confirm "${n1//-/}" --qual-kind 专项职业能力证书 \
  --qual-number S140521202612000001 >"$work/confirm1"
has "$work/confirm1" "certificate $n1 confirmed (专项职业能力证书 S140521202612000001)" "confirm output"
"$server" --data "$county" cert confirm "$n1" --qual-kind 专项职业能力证书 \
  --qual-number S140521202612000001 >"$work/confirm2"
has "$work/confirm2" "is already confirmed" "a second confirm did not say it was confirmed"
has "$work/confirm2" "nothing written" "a second confirm wrote something"
"$server" --data "$county" cert reject "$n2" --reason "实操考核视频缺失" >"$work/reject"
has "$work/reject" "rejected (reason: 实操考核视频缺失)" "reject output"
if "$server" --data "$county" cert reject "$n1" --reason "x" >"$work/r1" 2>&1; then
  fail "a confirmed certificate was rejected"
fi
has "$work/r1" "already decided: 已确认" "refusal does not name the decision"
if "$server" --data "$county" cert confirm "$site-nosuch-000009" >"$work/r2" 2>&1; then
  fail "an unknown number was confirmed"
fi
has "$work/r2" "no kiosk has uploaded a certificate numbered $site-nosuch-000009" "unknown number not named"
if "$server" --data "$county" cert confirm "$n2" --qual-kind 职业资格证书 --qual-number 1 \
  >"$work/r3" 2>&1; then fail "a bad qualification kind was accepted"; fi
has "$work/r3" "qualification kind '职业资格证书' is neither" "bad qual kind not named"
"$server" --data "$county" cert pending >"$work/pending2"
has "$work/pending2" "0 pending" "decided certificates still pending"

step "the kiosk syncs and shows 已确认 with the number, 驳回 with the reason"
"$kioskctl" --data "$kiosk" sync >"$work/sync2" || { cat "$work/sync2"; fail "sync (feed)"; }
"$kioskctl" --data "$kiosk" certificates >"$work/list"
cat "$work/list"
grep -F "$n1" "$work/list" | grep -qF "已确认" || fail "1 not 已确认 on the kiosk"
grep -F "$n1" "$work/list" | grep -qF "专项职业能力证书 S140521202612000001" || fail "no number"
grep -F "$n2" "$work/list" | grep -qF "驳回" || fail "2 not 驳回 on the kiosk"
grep -F "$n2" "$work/list" | grep -qF "实操考核视频缺失" || fail "no reason on the kiosk"

step "verify-certificate: the county signature is valid; with --county-key elsewhere too"
"$kioskctl" --data "$kiosk" device-keys >"$work/keys.json"
"$kioskctl" --data "$kiosk" certificate-json "$n1" -o "$work/c1.json" >/dev/null
"$kioskctl" --data "$kiosk" certificate-json "$n2" -o "$work/c2.json" >/dev/null
"$kioskctl" --data "$kiosk" verify-certificate "$work/c1.json" --keys "$work/keys.json" \
  >"$work/v1" || { cat "$work/v1"; fail "the confirmed document does not verify"; }
cat "$work/v1"
has "$work/v1" "county signature VALID: 已确认 专项职业能力证书 S140521202612000001" "county signature"
has "$work/v1" "状态 / status: 已确认（以县人社局签名的确认为准" "status not the county-signed one"
pub=$(sed -n 's/.*"content_pub" *: *"\([0-9a-f]\{64\}\)".*/\1/p' "$county/county.json" | head -1)
[ -n "$pub" ] || fail "no content_pub in county.json"
"$kioskctl" --data "$work/elsewhere" verify-certificate "$work/c1.json" --keys "$work/keys.json" \
  --county-key "$pub" >"$work/v1b" || { cat "$work/v1b"; fail "no verify with --county-key"; }
has "$work/v1b" "county signature VALID" "--county-key"
"$kioskctl" --data "$kiosk" verify-certificate "$work/c2.json" --keys "$work/keys.json" >"$work/v2" ||
  { cat "$work/v2"; fail "the rejected document does not verify"; }
has "$work/v2" "状态 / status: 驳回" "rejected status"
has "$work/v2" "实操考核视频缺失" "rejection reason"

step "a document with an edited qualification number is reported"
sed 's/S140521202612000001/S140521202612000999/g' "$work/c1.json" >"$work/c1-edited.json"
if "$kioskctl" --data "$kiosk" verify-certificate "$work/c1-edited.json" --keys "$work/keys.json" \
  >"$work/v3" 2>&1; then cat "$work/v3"; fail "an edited confirmation verified"; fi
has "$work/v3" "county signature INVALID [confirm.signature]" "tampered confirmation not named"
has "$work/v3" "状态 / status: 待确认（无县级确认" "tampered confirmation still counted"
step "annul 1 (注销) with a reason: the kiosk shows it; a rejected one cannot be annulled"
if "$server" --data "$county" cert annul "$n1" --reason " " >"$work/a0" 2>&1; then
  fail "an annulment without a reason was written"
fi
has "$work/a0" "needs a --reason" "a blank reason not refused by name"
"$server" --data "$county" cert annul "$n1" --reason "冒名顶替参加考试" >"$work/a1"
has "$work/a1" "certificate $n1 annulled (reason: 冒名顶替参加考试)" "annul output"
"$server" --data "$county" cert annul "$n1" --reason "冒名顶替参加考试" >"$work/a2"
has "$work/a2" "is already annulled" "a second annul did not say so"
has "$work/a2" "nothing written" "a second annul wrote something"
if "$server" --data "$county" cert annul "$n2" --reason "x" >"$work/a3" 2>&1; then
  fail "a rejected certificate was annulled"
fi
has "$work/a3" "already decided: 驳回" "refusal does not name the rejection"
"$kioskctl" --data "$kiosk" sync >"$work/sync3" || { cat "$work/sync3"; fail "sync (annulment)"; }
"$kioskctl" --data "$kiosk" certificates >"$work/list3"
grep -F "$n1" "$work/list3" | grep -qF "注销" || { cat "$work/list3"; fail "1 not 注销 on the kiosk"; }
grep -F "$n1" "$work/list3" | grep -qF "冒名顶替参加考试" || fail "no annulment reason on the kiosk"
echo "1 passed, 0 failed"
