#include "sync/protocol/certificate_confirm.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "sync/protocol/certificate.h"

namespace chz::sync {

namespace {

using nlohmann::json;

constexpr std::string_view kSignTag = "chizheng-certificate-confirm-v1\n";

Status bad(std::string key, std::string msg, Code c = Code::kInvalidArgument) {
  return Status(c, std::move(msg), std::move(key));
}

json to_json(const CertificateConfirmation& c) {
  return json{{"at_ms", c.at_ms},
              {"number", c.number},
              {"qual_kind", c.qual_kind},
              {"qual_number", c.qual_number},
              {"reason", c.reason},
              {"status", c.status},
              {"v", 1}};
}

std::string dump(const json& j) {
  // Invalid UTF-8 is replaced rather than thrown on; such text never
  // verifies against a correctly encoded copy.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<SignedConfirmation> from_json(const json& j) {
  if (!j.is_object()) return bad("confirm.format", "the confirmation is not a JSON object");
  if (!j.contains("v") || !j["v"].is_number_integer() || j["v"].get<std::int64_t>() != 1)
    return bad("confirm.format", "confirmation format version is missing or not 1");
  SignedConfirmation s;
  auto text = [&](const char* key, std::string& out) -> Status {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string())
      return bad("confirm.format",
                 fmt::format("confirmation field '{}' is missing or not text", key));
    out = it->get<std::string>();
    return OkStatus();
  };
  CHZ_TRY(text("number", s.c.number));
  CHZ_TRY(text("status", s.c.status));
  CHZ_TRY(text("qual_kind", s.c.qual_kind));
  CHZ_TRY(text("qual_number", s.c.qual_number));
  CHZ_TRY(text("reason", s.c.reason));
  if (!j.contains("at_ms") || !j["at_ms"].is_number_integer())
    return bad("confirm.format", "confirmation field 'at_ms' is missing or not an integer");
  s.c.at_ms = j["at_ms"].get<std::int64_t>();
  if (j.contains("signature")) {
    if (!j["signature"].is_string())
      return bad("confirm.format", "the confirmation's signature is not text");
    s.signature = j["signature"].get<std::string>();
  }
  return s;
}

}  // namespace

std::vector<ConfirmationField> confirmation_fields() {
  return {{"number", "证书编号"},    {"status", "状态"},
          {"qual_kind", "证书类别"}, {"qual_number", "职业技能等级证书/专项职业能力证书编号"},
          {"reason", "原因"},        {"at_ms", "确认时间"}};
}

Status check_confirmation_fields(const CertificateConfirmation& c) {
  if (c.number.empty()) return bad("confirm.fields", "the certificate number is empty");
  if (c.status != kCertStatusConfirmed && c.status != kCertStatusRejected &&
      c.status != kCertStatusRevoked)
    return bad("confirm.fields",
               fmt::format("status '{}' is none of 已确认, 驳回, 注销", c.status));
  if (!c.qual_kind.empty() && c.qual_kind != kQualSkillLevel && c.qual_kind != kQualSpecial)
    return bad("confirm.fields", fmt::format("qualification kind '{}' is neither {} nor {}",
                                             c.qual_kind, kQualSkillLevel, kQualSpecial));
  if (!c.qual_number.empty() && c.qual_kind.empty())
    return bad("confirm.fields", "a qualification number needs its kind (--qual-kind)");
  if (c.status == kCertStatusRejected && c.reason.empty())
    return bad("confirm.fields", "a rejection needs a reason");
  return OkStatus();
}

std::string canonical_confirmation(const CertificateConfirmation& c) {
  return dump(to_json(c));
}

std::string confirmation_signing_bytes(const CertificateConfirmation& c) {
  return std::string(kSignTag) + canonical_confirmation(c);
}

Result<std::array<std::uint8_t, 64>> sign_confirmation(const CertificateConfirmation& c,
                                                       const Key32& county_secret) {
  CHZ_TRY(check_confirmation_fields(c));
  return ed25519_sign(county_secret, as_bytes(confirmation_signing_bytes(c)));
}

std::string signed_confirmation_json(const SignedConfirmation& s) {
  json j = to_json(s.c);
  j["signature"] = s.signature;
  return dump(j);
}

Result<SignedConfirmation> parse_signed_confirmation(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return bad("confirm.format", "the confirmation is not valid JSON");
  return from_json(j);
}

Status verify_confirmation(const SignedConfirmation& s, const Key32& county_pub) {
  if (s.signature.empty())
    return bad("confirm.unsigned",
               fmt::format("the confirmation of {} carries no county signature", s.c.number),
               Code::kUnauthenticated);
  auto sig = unbase64url(s.signature);
  if (!sig.ok() || sig->size() != 64)
    return bad("confirm.format", "the confirmation's signature is not 64 bytes of base64url");
  if (!ed25519_verify(county_pub, as_bytes(confirmation_signing_bytes(s.c)), *sig).ok())
    return bad("confirm.signature",
               fmt::format("the county signature of the confirmation of {} does not match its "
                           "content: altered, or signed by another key",
                           s.c.number),
               Code::kTampered);
  return OkStatus();
}

Result<CertificateConfirmation> verify_confirmation_json(std::string_view text,
                                                         const Key32& county_pub) {
  CHZ_ASSIGN_OR_RETURN(SignedConfirmation s, parse_signed_confirmation(text));
  CHZ_TRY(verify_confirmation(s, county_pub));
  return s.c;
}

std::string DocumentConfirmations::status() const {
  return latest ? latest->status : std::string(kCertStatusPending);
}

DocumentConfirmations check_document_confirmations(std::string_view doc, std::string_view number,
                                                   const Key32* county_pub) {
  DocumentConfirmations out;
  json j = json::parse(doc, nullptr, false);
  if (!j.is_object() || !j.contains("confirmations") || !j["confirmations"].is_array()) return out;
  for (const auto& e : j["confirmations"]) {
    ConfirmationCheck ch;
    auto parsed = from_json(e);
    if (!parsed.ok()) {
      ch.status = parsed.status();
      out.checks.push_back(std::move(ch));
      continue;
    }
    ch.s = std::move(parsed).value();
    if (ch.s.c.number != number)
      ch.status = bad(
          "confirm.other_certificate",
          fmt::format("the confirmation is about certificate {}, not {}", ch.s.c.number, number),
          Code::kTampered);
    else if (!county_pub)
      ch.status =
          bad("confirm.no_key", "no county key to check the confirmation with (give --county-key)",
              Code::kFailedPrecondition);
    else
      ch.status = verify_confirmation(ch.s, *county_pub);
    if (ch.status.ok() && (!out.latest || ch.s.c.at_ms >= out.latest->at_ms)) out.latest = ch.s.c;
    out.checks.push_back(std::move(ch));
  }
  return out;
}

}  // namespace chz::sync
