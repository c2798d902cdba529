#include "sync/server/certificates.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>

#include "common/utf8.h"

namespace chz::server {
namespace {

using nlohmann::json;

Status refuse(Code c, std::string key, std::string msg) {
  return Status(c, std::move(msg), std::move(key));
}

// Every certificate record of every device, its signature checked against
// the key the server holds for the device. A record that does not parse is
// skipped: ingest stores what kiosks send, and one bad body must not hide
// the others.
Result<std::vector<IssuedCertificate>> issued(ServerStore& s) {
  CHZ_ASSIGN_OR_RETURN(auto devices, s.device_keys());
  std::vector<IssuedCertificate> out;
  for (const auto& dk : devices) {
    CHZ_ASSIGN_OR_RETURN(DeviceRow dev, s.device(dk.device));
    CHZ_ASSIGN_OR_RETURN(auto recs, s.records_of(dk.device));
    sync::DeviceKeys keys;
    keys.by_device[dev.id].push_back(dev.pub);
    for (const auto& r : recs) {
      if (r.kind != sync::kinds::kCertificate) continue;
      json b = json::parse(r.body, nullptr, false);
      if (!b.is_object() || !b.contains("canonical") || !b["canonical"].is_string() ||
          !b.contains("signature") || !b["signature"].is_string())
        continue;
      auto data = sync::parse_certificate_json(b["canonical"].get<std::string>());
      if (!data.ok()) continue;
      IssuedCertificate c{*data, dev.site, dev.id, OkStatus()};
      auto sig = unbase64url(b["signature"].get<std::string>());
      if (!sig.ok())
        c.device_signature =
            refuse(Code::kInvalidArgument, "cert.format", "the signature is not base64url");
      else
        c.device_signature = sync::verify_qr_payload(sync::qr_payload(*data, *sig), keys).status();
      out.push_back(std::move(c));
    }
  }
  return out;
}

// The standing decision per certificate number: the latest county
// certificate_confirm record (by at_ms, a later record winning a tie).
Result<std::map<std::string, sync::CertificateConfirmation>> decisions(ServerStore& s) {
  CHZ_ASSIGN_OR_RETURN(auto recs, s.records_of("county"));
  std::map<std::string, sync::CertificateConfirmation> out;
  for (const auto& r : recs) {
    if (r.kind != sync::kinds::kCertificateConfirm) continue;
    auto c = sync::parse_signed_confirmation(r.body);
    if (!c.ok()) continue;
    auto it = out.find(c->c.number);
    if (it == out.end() || c->c.at_ms >= it->second.at_ms) out[c->c.number] = c->c;
  }
  return out;
}

std::string describe(const sync::CertificateConfirmation& c) {
  std::string s = c.status;
  if (!c.qual_number.empty()) s += fmt::format(" ({} {})", c.qual_kind, c.qual_number);
  if (!c.reason.empty()) s += fmt::format(", reason: {}", c.reason);
  return s;
}

}  // namespace

std::string mask_name(std::string_view name) {
  std::size_t n = utf8_sequence_length(name);
  if (n == 0) return "*";
  return std::string(name.substr(0, n)) + "*";
}

Result<std::vector<IssuedCertificate>> pending_certificates(ServerStore& s) {
  CHZ_ASSIGN_OR_RETURN(auto all, issued(s));
  CHZ_ASSIGN_OR_RETURN(auto decided, decisions(s));
  std::vector<IssuedCertificate> out;
  for (auto& c : all)
    if (!decided.count(c.data.number)) out.push_back(std::move(c));
  return out;
}

Result<DecisionOutcome> decide_certificate(ServerStore& s, const CountyKeys& k,
                                           const CertificateDecision& d, std::int64_t now_ms) {
  sync::CertificateConfirmation c{d.number, d.status, d.qual_kind, d.qual_number, d.reason, now_ms};
  CHZ_TRY(sync::check_confirmation_fields(c));
  CHZ_ASSIGN_OR_RETURN(auto all, issued(s));
  std::optional<IssuedCertificate> cert;
  for (auto& one : all)
    if (one.data.number == d.number) cert = std::move(one);
  if (!cert)
    return refuse(Code::kNotFound, "cert.unknown",
                  fmt::format("no kiosk has uploaded a certificate numbered {}", d.number));
  if (!cert->device_signature.ok())
    return refuse(Code::kTampered, "cert.device_signature",
                  fmt::format("certificate {}: the device signature does not verify against the "
                              "key of {} held here ({}); nothing written",
                              d.number, cert->device, cert->device_signature.message()));
  CHZ_ASSIGN_OR_RETURN(auto decided, decisions(s));
  if (auto it = decided.find(d.number); it != decided.end()) {
    if (it->second.status == d.status) return DecisionOutcome{it->second, cert->site, false};
    return refuse(Code::kFailedPrecondition, "cert.decided",
                  fmt::format("certificate {} is already decided: {}; nothing written", d.number,
                              describe(it->second)));
  }
  CHZ_ASSIGN_OR_RETURN(auto sig, sync::sign_confirmation(c, k.content_secret));
  std::string body = sync::signed_confirmation_json({c, base64url(sig)});
  CHZ_TRY(s.append_county(
      {{cert->site, std::string(sync::kinds::kCertificateConfirm), std::move(body)}}, now_ms));
  return DecisionOutcome{c, cert->site, true};
}

}  // namespace chz::server
