#include "sync/protocol/certificate.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace chz::sync {

namespace {

using nlohmann::json;

constexpr std::string_view kSignTag = "chizheng-certificate-v1\n";
constexpr std::string_view kPayloadPrefix = "CHZC1.";

Status bad(std::string key, std::string msg, Code c = Code::kInvalidArgument) {
  return Status(c, std::move(msg), std::move(key));
}

// Field access by canonical key, so comparison and encoding share one list.
struct Accessor {
  std::string_view key;
  std::string_view label;
  std::string CertificateData::*str = nullptr;
  std::int64_t CertificateData::*num = nullptr;
};

const std::vector<Accessor>& accessors() {
  static const std::vector<Accessor> k = {
      {"course", "课程", &CertificateData::course_id, nullptr},
      {"date", "发证日期", &CertificateData::date, nullptr},
      {"device", "发证终端", &CertificateData::device_id, nullptr},
      {"hours", "培训学时", nullptr, &CertificateData::hours},
      {"id_masked", "身份证号", &CertificateData::id_masked, nullptr},
      {"key", "签名密钥", &CertificateData::key_id, nullptr},
      {"level", "等级", &CertificateData::level, nullptr},
      {"name", "姓名", &CertificateData::name, nullptr},
      {"number", "证书编号", &CertificateData::number, nullptr},
      {"occupation", "职业(工种)", &CertificateData::occupation, nullptr},
      {"practical", "实操成绩", &CertificateData::practical_score, nullptr},
      {"site", "培训点编号", &CertificateData::site_id, nullptr},
      {"site_name", "发证培训点", &CertificateData::site_name, nullptr},
      {"theory", "理论成绩", &CertificateData::theory_score, nullptr},
  };
  return k;
}

json to_json(const CertificateData& d) {
  json j = json::object();
  for (const auto& a : accessors()) {
    if (a.str)
      j[std::string(a.key)] = d.*(a.str);
    else
      j[std::string(a.key)] = d.*(a.num);
  }
  j["v"] = 1;
  return j;
}

Result<CertificateData> from_json(const json& j) {
  if (!j.is_object()) return bad("cert.format", "certificate data is not a JSON object");
  if (!j.contains("v") || !j["v"].is_number_integer() || j["v"].get<std::int64_t>() != 1)
    return bad("cert.format", "certificate format version is missing or not 1");
  CertificateData d;
  for (const auto& a : accessors()) {
    auto it = j.find(std::string(a.key));
    if (it == j.end())
      return bad("cert.format", fmt::format("certificate field '{}' is missing", a.key));
    if (a.str) {
      if (!it->is_string())
        return bad("cert.format", fmt::format("certificate field '{}' is not text", a.key));
      d.*(a.str) = it->get<std::string>();
    } else {
      if (!it->is_number_integer())
        return bad("cert.format", fmt::format("certificate field '{}' is not an integer", a.key));
      d.*(a.num) = it->get<std::int64_t>();
    }
  }
  return d;
}

Result<json> parse_json(std::string_view text) {
  try {
    return json::parse(text);
  } catch (const std::exception&) {
    return bad("cert.format", "not valid JSON");
  }
}

std::string field_value(const CertificateData& d, const Accessor& a) {
  return a.str ? d.*(a.str) : std::to_string(d.*(a.num));
}

}  // namespace

std::vector<CertificateField> certificate_fields() {
  std::vector<CertificateField> out;
  for (const auto& a : accessors()) out.push_back({a.key, a.label});
  return out;
}

std::string key_id(const Key32& pub) {
  return hex(sha256(ByteView(pub))).substr(0, 16);
}

std::string canonical_certificate(const CertificateData& d) {
  try {
    return to_json(d).dump();
  } catch (const std::exception&) {
    // Invalid UTF-8 in a field: replace rather than throw; such data never
    // verifies against a correctly encoded copy.
    return to_json(d).dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

Result<CertificateData> parse_certificate_json(std::string_view text) {
  CHZ_ASSIGN_OR_RETURN(json j, parse_json(text));
  return from_json(j);
}

std::string certificate_signing_bytes(const CertificateData& d) {
  return std::string(kSignTag) + canonical_certificate(d);
}

Result<std::array<std::uint8_t, 64>> sign_certificate(const CertificateData& d,
                                                      const Key32& secret) {
  return ed25519_sign(secret, as_bytes(certificate_signing_bytes(d)));
}

std::string qr_payload(const CertificateData& d, ByteView signature) {
  std::string rest = base64url(as_bytes(canonical_certificate(d))) + "." + base64url(signature);
  return fmt::format("{}{}.{}", kPayloadPrefix, rest.size(), rest);
}

Result<DeviceKeys> parse_device_keys(std::string_view text) {
  auto parsed = parse_json(text);
  if (!parsed.ok()) return bad("keys.format", "the device key list is not valid JSON");
  const json& j = *parsed;
  DeviceKeys out;
  auto add = [&](const std::string& dev, const json& v) -> Status {
    if (!v.is_string()) return bad("keys.format", "public key of " + dev + " is not text");
    std::string s = v.get<std::string>();
    if (s.rfind("ed25519:", 0) == 0) s = s.substr(8);
    auto b = unhex(s);
    if (!b.ok() || b->size() != 32)
      return bad("keys.format", "public key of " + dev + " is not 32 bytes of hex");
    Key32 k;
    std::copy(b->begin(), b->end(), k.begin());
    out.by_device[dev].push_back(k);
    return OkStatus();
  };
  if (!j.is_object()) return bad("keys.format", "the device key list is not a JSON object");
  if (j.contains("devices")) {
    if (!j["devices"].is_array()) return bad("keys.format", "\"devices\" is not a list");
    for (const auto& e : j["devices"]) {
      if (!e.is_object() || !e.contains("device_id") || !e["device_id"].is_string() ||
          !e.contains("public_key"))
        return bad("keys.format", "a device entry lacks device_id or public_key");
      CHZ_TRY(add(e["device_id"].get<std::string>(), e["public_key"]));
    }
  } else {
    for (auto it = j.begin(); it != j.end(); ++it) CHZ_TRY(add(it.key(), it.value()));
  }
  return out;
}

std::string device_keys_json(const DeviceKeys& k) {
  json arr = json::array();
  for (const auto& [dev, keys] : k.by_device)
    for (const auto& key : keys) arr.push_back({{"device_id", dev}, {"public_key", hex(key)}});
  return json{{"devices", arr}}.dump();
}

namespace {

// Checks `sig` over `d` against the published keys of d.device_id.
Status check_signature(const CertificateData& d, ByteView sig, const DeviceKeys& keys,
                       std::string_view sig_key) {
  auto dev = keys.by_device.find(d.device_id);
  if (dev == keys.by_device.end())
    return bad(
        "cert.unknown_device",
        fmt::format("issuing device '{}' is not in the published device key list", d.device_id),
        Code::kUnauthenticated);
  const Key32* key = nullptr;
  for (const auto& k : dev->second)
    if (key_id(k) == d.key_id) key = &k;
  if (!key)
    return bad("cert.wrong_key",
               fmt::format("signed with key {} which is not a published key of device '{}' "
                           "(wrong key list, or forged)",
                           d.key_id, d.device_id),
               Code::kUnauthenticated);
  if (!ed25519_verify(*key, as_bytes(certificate_signing_bytes(d)), sig).ok())
    return bad(std::string(sig_key),
               fmt::format("the signature of device '{}' does not match the certificate content: "
                           "altered or forged",
                           d.device_id),
               Code::kTampered);
  return OkStatus();
}

}  // namespace

namespace {
int hex_value(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}
// %XX decoded; a malformed escape is kept as it is.
std::string percent_decode(std::string_view s) {
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
}  // namespace

std::string verify_url(std::string_view server_url, std::string_view payload) {
  if (server_url.empty()) return std::string(payload);
  while (!server_url.empty() && server_url.back() == '/') server_url.remove_suffix(1);
  return std::string(server_url) + "/verify#" + std::string(payload);
}

Result<std::string> payload_from_text(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  if (text.starts_with("CHZC")) return std::string(text);
  if (text.starts_with("https://") || text.starts_with("http://")) {
    auto hash = text.find('#');
    if (hash != std::string_view::npos) {
      std::string p = percent_decode(text.substr(hash + 1));
      if (p.starts_with("CHZC")) return p;
    }
    auto q = text.find("?p=");
    if (q == std::string_view::npos) q = text.find("&p=");
    if (q != std::string_view::npos) {
      std::string_view v = text.substr(q + 3);
      v = v.substr(0, std::min(v.find('&'), v.find('#')));
      std::string p = percent_decode(v);
      if (p.starts_with("CHZC")) return p;
    }
  }
  return bad("cert.not_payload", "not a Chizheng certificate payload or /verify address");
}

Result<CertificateData> verify_qr_payload(std::string_view p, const DeviceKeys& keys) {
  while (!p.empty() && (p.back() == '\n' || p.back() == '\r' || p.back() == ' '))
    p.remove_suffix(1);
  if (p.substr(0, kPayloadPrefix.size()) != kPayloadPrefix) {
    if (!p.empty() && kPayloadPrefix.substr(0, p.size()) == p)
      return bad("cert.truncated", "the QR payload is truncated (only its header remains)");
    return bad("cert.not_payload",
               "not a Chizheng certificate payload (expected it to start with CHZC1.)");
  }
  p.remove_prefix(kPayloadPrefix.size());
  auto dot = p.find('.');
  if (dot == std::string_view::npos || dot == 0)
    return bad("cert.truncated", "the QR payload is truncated (no length field)");
  std::size_t want = 0;
  for (char c : p.substr(0, dot)) {
    if (c < '0' || c > '9')
      return bad("cert.format", "the QR payload length field is not a number");
    want = want * 10 + static_cast<std::size_t>(c - '0');
    if (want > 100000) return bad("cert.format", "the QR payload length field is too large");
  }
  std::string_view rest = p.substr(dot + 1);
  if (rest.size() < want)
    return bad(
        "cert.truncated",
        fmt::format("the QR payload is truncated: {} of {} characters present", rest.size(), want));
  if (rest.size() > want)
    return bad("cert.format",
               fmt::format("the QR payload has {} characters, {} announced", rest.size(), want));
  auto sep = rest.find('.');
  if (sep == std::string_view::npos)
    return bad("cert.format", "the QR payload has no signature part");
  auto body = unbase64url(rest.substr(0, sep));
  if (!body.ok()) return bad("cert.format", "the QR payload's content is not valid base64url");
  auto sig = unbase64url(rest.substr(sep + 1));
  if (!sig.ok() || sig->size() != 64)
    return bad("cert.format", "the QR payload's signature is not 64 bytes of base64url");
  std::string canon = to_string(*body);
  CHZ_ASSIGN_OR_RETURN(CertificateData d, parse_certificate_json(canon));
  if (canonical_certificate(d) != canon)
    return bad("cert.format", "the QR payload's content is not in canonical form (re-encoded?)");
  CHZ_TRY(check_signature(d, *sig, keys, "cert.signature"));
  return d;
}

Result<CertificateData> verify_certificate_text(std::string_view text, const DeviceKeys& keys) {
  std::size_t i = 0;
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
    ++i;
  text.remove_prefix(i);
  if (text.starts_with("http://") || text.starts_with("https://")) {
    CHZ_ASSIGN_OR_RETURN(std::string p, payload_from_text(text));
    return verify_qr_payload(p, keys);
  }
  if (text.substr(0, 4) == "CHZC" || (!text.empty() && text.front() != '{'))
    return verify_qr_payload(text, keys);
  CHZ_ASSIGN_OR_RETURN(json doc, parse_json(text));
  if (!doc.is_object() || !doc.contains("certificate"))
    return bad("cert.format", "the document has no \"certificate\" object");
  CHZ_ASSIGN_OR_RETURN(CertificateData shown, from_json(doc["certificate"]));
  std::string qr = doc.contains("qr") && doc["qr"].is_string() ? doc["qr"].get<std::string>() : "";
  std::string sig_text = doc.contains("signature") && doc["signature"].is_string()
                             ? doc["signature"].get<std::string>()
                             : "";
  if (!qr.empty()) {
    CHZ_ASSIGN_OR_RETURN(CertificateData signed_data, verify_qr_payload(qr, keys));
    std::string diffs;
    for (const auto& a : accessors()) {
      std::string want = field_value(signed_data, a), got = field_value(shown, a);
      if (want != got)
        diffs += fmt::format("{}{}({}) altered: document says \"{}\", signed value is \"{}\"",
                             diffs.empty() ? "" : "; ", a.label, a.key, got, want);
    }
    if (!diffs.empty()) return bad("cert.field_altered", diffs, Code::kTampered);
  }
  if (sig_text.empty() && qr.empty())
    return bad("cert.format", "the document carries neither a signature nor a QR payload");
  if (!sig_text.empty()) {
    auto sig = unbase64url(sig_text);
    if (!sig.ok() || sig->size() != 64)
      return bad("cert.format", "the document's signature is not 64 bytes of base64url");
    CHZ_TRY(check_signature(shown, *sig, keys, "cert.doc_signature"));
  }
  return shown;
}

std::string unsigned_document_status(std::string_view text) {
  auto doc = json::parse(text, nullptr, false);
  if (!doc.is_object() || !doc.contains("status") || !doc["status"].is_string()) return {};
  return doc["status"].get<std::string>();
}

}  // namespace chz::sync
