#include "sync/server/certificates.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>

#include "common/utf8.h"
#include "sync/protocol/cert_number.h"

namespace chz::server {
namespace {

using nlohmann::json;

Status refuse(Code c, std::string key, std::string msg) {
  return Status(c, std::move(msg), std::move(key));
}

// Every certificate kiosks uploaded (from the read model), its signature
// checked against the key the server holds for the issuing device. One
// whose signed content does not parse is skipped: ingest stores what
// kiosks send, and one bad body must not hide the others.
Result<std::vector<IssuedCertificate>> issued(ServerStore& s) {
  struct Row {
    std::string device, site, canonical, signature;
  };
  std::vector<Row> rows;
  CHZ_TRY(s.model([&](ModelTx& tx) {
    return tx.sql().each(
        "SELECT device, site, canonical, signature FROM cm_certificates ORDER BY day, number", {},
        [&](const SqlRow& r) {
          rows.push_back({r.text(0), r.text(1), r.text(2), r.text(3)});
          return OkStatus();
        });
  }));
  std::map<std::string, std::optional<DeviceRow>> devices;
  std::vector<IssuedCertificate> out;
  for (const auto& row : rows) {
    auto data = sync::parse_certificate_json(row.canonical);
    if (!data.ok()) continue;
    auto [it, fresh] = devices.try_emplace(row.device);
    if (fresh) {
      auto d = s.device(row.device);
      if (d.ok()) it->second = *d;
    }
    IssuedCertificate c{*data, row.site, row.device, OkStatus()};
    if (!it->second) {
      c.device_signature =
          refuse(Code::kUnauthenticated, "cert.unknown_device", "the issuing device is not known");
    } else {
      sync::DeviceKeys keys;
      keys.by_device[row.device].push_back(it->second->pub);
      auto sig = unbase64url(row.signature);
      if (!sig.ok())
        c.device_signature =
            refuse(Code::kInvalidArgument, "cert.format", "the signature is not base64url");
      else
        c.device_signature = sync::verify_qr_payload(sync::qr_payload(*data, *sig), keys).status();
    }
    out.push_back(std::move(c));
  }
  return out;
}

// The standing decision per certificate number: the latest county
// certificate_confirm (by at_ms), from the read model.
Result<std::map<std::string, sync::CertificateConfirmation>> decisions(ServerStore& s) {
  std::map<std::string, sync::CertificateConfirmation> out;
  CHZ_TRY(s.model([&](ModelTx& tx) {
    return tx.sql().each(
        "SELECT number, status, qual_kind, qual_number, reason, at_ms FROM cm_cert_decisions "
        "ORDER BY number, at_ms, uuid",
        {}, [&](const SqlRow& r) {
          out[r.text(0)] = {r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.i64(5)};
          return OkStatus();
        });
  }));
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
                                           const CertificateDecision& typed, std::int64_t now_ms) {
  // As typed: a short number with or without its dashes, or an old one.
  CertificateDecision d = typed;
  d.number = sync::normalize_cert_number(typed.number);
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
    // A confirmed certificate may still be annulled (注销: issued in error,
    // obtained by fraud); nothing else overturns a decision.
    bool annul_confirmed =
        d.status == sync::kCertStatusRevoked && it->second.status == sync::kCertStatusConfirmed;
    if (!annul_confirmed)
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
