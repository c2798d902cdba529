#include "sync/server/verify.h"

#include <fmt/format.h>

#include "common/clock.h"
#include "sync/protocol/certificate_confirm.h"

namespace chz::server {
namespace {

constexpr std::string_view kRevocations =
    "CREATE TABLE IF NOT EXISTS srv_revocations(device TEXT PRIMARY KEY, at_ms BIGINT NOT NULL)";

int hex_value(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}
// %XX decoded; a malformed escape is kept as it is.
std::string url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string day_of(std::int64_t ms) {
  return format_date(china_date(ms));
}

}  // namespace

Result<std::string> payload_from_text(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (text.starts_with("CHZC")) return std::string(text);
  if (text.starts_with("https://") || text.starts_with("http://")) {
    auto hash = text.find('#');
    if (hash != std::string_view::npos && text.substr(hash + 1).starts_with("CHZC"))
      return url_decode(text.substr(hash + 1));
    auto q = text.find("?p=");
    if (q == std::string_view::npos) q = text.find("&p=");
    if (q != std::string_view::npos) {
      std::string_view v = text.substr(q + 3);
      v = v.substr(0, std::min(v.find('&'), v.find('#')));
      std::string p = url_decode(v);
      if (p.starts_with("CHZC")) return p;
    }
  }
  return Status(Code::kInvalidArgument, "not a Chizheng certificate", "cert.not_payload");
}

Status record_revocation(ServerStore& s, const std::string& device, std::int64_t now_ms) {
  return s.model([&](ModelTx& tx) {
    CHZ_TRY(tx.sql().exec(kRevocations).status());
    return tx.sql()
        .exec("INSERT OR IGNORE INTO srv_revocations(device, at_ms) VALUES(?, ?)", {device, now_ms})
        .status();
  });
}

Result<Verification> verify_certificate(ServerStore& s, std::string_view text) {
  Verification v;
  for (const auto& f : sync::certificate_fields()) v.device_signed.emplace_back(f.key);
  for (const auto& f : sync::confirmation_fields()) v.county_signed.emplace_back(f.key);
  auto payload = payload_from_text(text);
  if (!payload.ok()) {
    v.verdict = "damaged";
    v.message = "这不是持证系统的证书二维码，或二维码不完整。";
    return v;
  }
  // Every key the county ever held, revoked devices' too: a certificate
  // from before a revocation still verifies, and the rule below decides.
  CHZ_ASSIGN_OR_RETURN(auto keys, s.device_keys());
  sync::DeviceKeys dk;
  for (const auto& k : keys) {
    auto raw = unhex(k.pub);
    if (!raw.ok() || raw->size() != 32) continue;
    Key32 pub{};
    std::copy(raw->begin(), raw->end(), pub.begin());
    dk.by_device[k.device].push_back(pub);
  }
  auto data = sync::verify_qr_payload(*payload, dk);
  if (!data.ok()) {
    const std::string& key = data.status().key();
    if (key == "cert.unknown_device" || key == "cert.wrong_key") {
      v.verdict = "unknown_device";
      v.message = "签发设备不是本县登记的设备：证书不可信。";
    } else if (key == "cert.signature") {
      v.verdict = "altered";
      v.message = "证书内容与签名不符：证书已被改动或伪造。";
    } else {
      v.verdict = "damaged";
      v.message = "二维码不完整或已损坏，请重新扫描。";
    }
    return v;
  }
  v.genuine = true;
  v.data = *data;
  bool known = false;
  std::string stored_canonical;
  std::int64_t revoked_ms = -1;  // -1 not revoked, 0 revoked at an unknown time
  CHZ_TRY(s.model([&](ModelTx& tx) -> Status {
    Sql& sql = tx.sql();
    CHZ_TRY(sql.exec(kRevocations).status());
    CHZ_ASSIGN_OR_RETURN(
        auto rows,
        sql.query("SELECT canonical FROM cm_certificates WHERE number = ?", {v.data.number}));
    if (!rows.empty()) {
      known = true;
      stored_canonical = rows[0].text(0);
    }
    CHZ_ASSIGN_OR_RETURN(auto d,
                         sql.query("SELECT status, qual_kind, qual_number, at_ms FROM "
                                   "cm_cert_decisions WHERE number = ? ORDER BY at_ms DESC, "
                                   "uuid DESC LIMIT 1",
                                   {v.data.number}));
    if (!d.empty()) {
      v.status = d[0].text(0);
      v.qual_kind = d[0].text(1);
      v.qual_number = d[0].text(2);
      v.decided_day = day_of(d[0].i64(3));
    }
    CHZ_ASSIGN_OR_RETURN(auto r, sql.query("SELECT at_ms FROM srv_revocations WHERE device = ?",
                                           {v.data.device_id}));
    if (!r.empty()) revoked_ms = r[0].i64(0);
    return OkStatus();
  }));
  auto dev = s.device(v.data.device_id);
  if (dev.ok() && dev->revoked && revoked_ms < 0) revoked_ms = 0;
  v.device_revoked = revoked_ms >= 0;
  if (revoked_ms > 0) v.revoked_day = day_of(revoked_ms);
  if (known && stored_canonical != sync::canonical_certificate(v.data)) {
    v.verdict = "altered";
    v.message = "县局登记的同号证书内容与此不同：请以县局记录为准。";
    return v;
  }
  bool confirmed = v.status == sync::kCertStatusConfirmed;
  // Confirmed before the revocation (or at an unknown time before it was
  // recorded): the county vouched for it while the device was trusted.
  bool confirmed_before = confirmed && (revoked_ms <= 0 || v.decided_day <= day_of(revoked_ms));
  if (v.status == "注销") {
    v.verdict = "annulled";
    v.message = "此证书已被县局注销。";
  } else if (v.status == sync::kCertStatusRejected) {
    v.verdict = "rejected";
    v.message = "县局未予确认（驳回）此证书。";
  } else if (v.device_revoked && !confirmed_before &&
             (revoked_ms == 0 || v.data.date >= day_of(revoked_ms))) {
    v.verdict = "revoked";
    v.message = revoked_ms > 0 ? fmt::format("签发设备已于 {} 停用，此证书签发于停用之后：无效。",
                                             v.revoked_day)
                               : "签发设备已停用，且此证书未经县局确认：无效。";
  } else if (confirmed) {
    v.verdict = "valid";
    v.message = v.qual_number.empty() ? "证书真实有效，已经县局确认。"
                                      : fmt::format("证书真实有效，已经县局确认（{} {}）。",
                                                    v.qual_kind, v.qual_number);
  } else if (!known) {
    v.verdict = "unreported";
    v.message = "证书签名真实，但县局尚未收到该证书的记录（培训点可能尚未同步）。";
  } else {
    v.verdict = "pending";
    v.message = "证书签名真实，等待县局确认。";
  }
  return v;
}

}  // namespace chz::server
