#include "sync/server/verify.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>

#include "common/clock.h"
#include "sync/protocol/certificate_confirm.h"

namespace chz::server {
namespace {

constexpr std::string_view kRevocations =
    "CREATE TABLE IF NOT EXISTS srv_revocations(device TEXT PRIMARY KEY, at_ms BIGINT NOT NULL)";

// The page's sentence for each verdict that needs no detail.
void set_verdict(Verification& v, std::string_view verdict) {
  static const std::pair<std::string_view, std::string_view> kMessages[] = {
      {"damaged", "二维码不完整或已损坏，请重新扫描。"},
      {"unknown_device", "签发设备不是本县登记的设备：证书不可信。"},
      {"altered", "证书内容与签名不符：证书已被改动或伪造。"},
      {"annulled", "此证书已被县局注销。"},
      {"rejected", "县局未予确认（驳回）此证书。"},
      {"unreported", "证书签名真实，但县局尚未收到该证书的记录（培训点可能尚未同步）。"},
      {"pending", "证书签名真实，等待县局确认。"},
  };
  v.verdict = std::string(verdict);
  for (const auto& [k, m] : kMessages)
    if (k == verdict) v.message = std::string(m);
}

std::string day_of(std::int64_t ms) {
  return format_date(china_date(ms));
}

}  // namespace

namespace {
// The keys as verify_qr_payload wants them.
Result<sync::DeviceKeys> all_keys(ServerStore& s) {
  CHZ_ASSIGN_OR_RETURN(auto keys, s.device_keys());
  sync::DeviceKeys dk;
  for (const auto& k : keys) {
    auto raw = unhex(k.pub);
    if (!raw.ok() || raw->size() != 32) continue;
    Key32 pub{};
    std::copy(raw->begin(), raw->end(), pub.begin());
    dk.by_device[k.device].push_back(pub);
  }
  return dk;
}
}  // namespace

Result<std::string> device_keys_document(ServerStore& s) {
  CHZ_ASSIGN_OR_RETURN(auto keys, s.device_keys());
  std::map<std::string, std::int64_t> revoked;
  CHZ_TRY(s.model([&](ModelTx& tx) -> Status {
    CHZ_TRY(tx.sql().exec(kRevocations).status());
    return tx.sql().each("SELECT device, at_ms FROM srv_revocations", {}, [&](const SqlRow& r) {
      revoked[r.text(0)] = r.i64(1);
      return OkStatus();
    });
  }));
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& k : keys) {
    auto d = s.device(k.device);
    std::int64_t retired = 0;
    if (k.retired) retired = revoked.count(k.device) ? revoked[k.device] : 1;
    arr.push_back({{"device_id", k.device},
                   {"public_key", k.pub},
                   {"site_id", d.ok() ? d->site : ""},
                   {"retired_ms", retired}});
  }
  return nlohmann::json{{"devices", arr}}.dump();
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
  auto payload = sync::payload_from_text(text);
  if (!payload.ok()) {
    set_verdict(v, "damaged");
    v.message = "这不是持证系统的证书二维码，或二维码不完整。";
    return v;
  }
  // Every key the county ever held, revoked devices' too: a certificate
  // from before a revocation still verifies, and the rule below decides.
  CHZ_ASSIGN_OR_RETURN(sync::DeviceKeys dk, all_keys(s));
  auto data = sync::verify_qr_payload(*payload, dk);
  if (!data.ok()) {
    const std::string& key = data.status().key();
    if (key == "cert.unknown_device" || key == "cert.wrong_key") {
      set_verdict(v, "unknown_device");
    } else if (key == "cert.signature") {
      set_verdict(v, "altered");
    } else {
      set_verdict(v, "damaged");
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
    set_verdict(v, "annulled");
  } else if (v.status == sync::kCertStatusRejected) {
    set_verdict(v, "rejected");
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
    set_verdict(v, "unreported");
  } else {
    set_verdict(v, "pending");
  }
  return v;
}

}  // namespace chz::server
