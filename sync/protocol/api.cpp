#include "sync/protocol/api.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <stdexcept>

#include "sync/protocol/box.h"
#include "sync/protocol/cert_number.h"

namespace chz::sync::api {

using nlohmann::json;

int http_status(std::string_view e) {
  if (e == err::kBadSignature || e == err::kReplayed || e == err::kStaleTimestamp ||
      e == err::kUnknownDevice || e == err::kBadCode)
    return 401;
  if (e == err::kRevoked || e == err::kWrongSite || e == err::kForeignRecord) return 403;
  if (e == err::kTooLarge) return 413;
  if (e == err::kMalformed) return 400;
  if (e == err::kConflict || e == err::kGap || e == err::kDevicesFull) return 409;
  if (e == err::kNotFound) return 404;
  if (e == err::kUnavailable) return 503;
  return 500;
}

std::string_view error_code(const Status& st) {
  static constexpr std::string_view all[] = {
      err::kBadSignature,  err::kReplayed,    err::kStaleTimestamp,
      err::kUnknownDevice, err::kRevoked,     err::kWrongSite,
      err::kForeignRecord, err::kTooLarge,    err::kMalformed,
      err::kConflict,      err::kGap,         err::kBadCode,
      err::kNotFound,      err::kUnavailable, err::kDevicesFull};
  if (st.key().starts_with("sync.")) {
    std::string_view k = std::string_view(st.key()).substr(5);
    for (auto e : all)
      if (k == e) return e;
  }
  switch (st.code()) {
    case Code::kInvalidArgument:
    case Code::kOutOfRange:  // e.g. a batch of an unknown wire version: the request's fault
      return err::kMalformed;
    case Code::kTooLarge:
      return err::kTooLarge;
    case Code::kNotFound:
      return err::kNotFound;
    case Code::kUnavailable:
      return err::kUnavailable;
    default:
      return err::kInternal;
  }
}

std::string error_body(std::string_view error, std::string_view message) {
  return json{{"error", error}, {"message", message}}.dump();
}

Status status_from_error(int http, std::string_view body) {
  std::string code(err::kInternal), msg = "HTTP " + std::to_string(http);
  auto j = json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_string()) {
    code = j["error"].get<std::string>();
    if (j.contains("message") && j["message"].is_string()) msg = j["message"].get<std::string>();
  }
  Code c = Code::kInternal;
  if (http == 401)
    c = Code::kUnauthenticated;
  else if (http == 403)
    c = Code::kPermissionDenied;
  else if (http == 409)
    c = Code::kConflict;
  else if (http == 413)
    c = Code::kTooLarge;
  else if (http == 400)
    c = Code::kInvalidArgument;
  else if (http == 404)
    c = Code::kNotFound;
  else if (http >= 500)
    c = Code::kUnavailable;
  return Status(c, msg, "sync." + code);
}

std::string normalize_code(std::string_view code) {
  std::string out;
  for (char ch : code) {
    if (ch == '-' || ch == ' ') continue;
    char u = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (u == 'O') u = '0';
    if (u == 'I' || u == 'L') u = '1';
    out.push_back(u);
  }
  return out;
}

std::string code_id(std::string_view c) {
  return hex(sha256("chz-code-id\n" + std::string(c))).substr(0, 16);
}
Key32 code_key(std::string_view c) {
  return sha256("chz-code-key\n" + std::string(c));
}

std::string enroll_request_mac_input(const EnrollRequest& r) {
  return "chz-enroll-req-v1\n" + r.code_id + "\n" + r.device_id + "\n" + r.device_pub + "\n" +
         r.box_pub;
}
std::string to_json(const EnrollRequest& r) {
  return json{{"code_id", r.code_id},
              {"device_id", r.device_id},
              {"device_pub", r.device_pub},
              {"box_pub", r.box_pub},
              {"mac", r.mac}}
      .dump();
}
Result<EnrollRequest> parse_enroll_request(std::string_view body) {
  try {
    auto j = json::parse(body);
    EnrollRequest r{j.at("code_id"), j.at("device_id"), j.at("device_pub"), j.at("box_pub"),
                    j.at("mac")};
    return r;
  } catch (const std::exception&) {
    return Status(Code::kInvalidArgument, "malformed enroll request", "sync.malformed");
  }
}

namespace {
json response_fields(const EnrollResponse& r) {
  json keys = json::array();
  for (const auto& k : r.device_keys)
    keys.push_back({{"device", k.device}, {"pub", k.pub}, {"retired", k.retired}});
  json j{{"site_id", r.site_id},
         {"site_name", r.site_name},
         {"ca_pem", r.ca_pem},
         {"content_pub", r.content_pub},
         {"person_key_sealed", r.person_key_sealed},
         {"bundle_pub", r.bundle_pub},
         {"device_keys", keys},
         {"server_time_ms", r.server_time_ms}};
  // Only when set: an answer from a server before them has neither, and
  // its MAC was made over the fields above alone.
  if (!r.area_code.empty()) j["area_code"] = r.area_code;
  if (r.device_number != 0) j["device_number"] = r.device_number;
  return j;
}
}  // namespace

std::string enroll_response_mac_input(const EnrollResponse& r) {
  return "chz-enroll-resp-v1\n" + response_fields(r).dump();
}
std::string to_json(const EnrollResponse& r) {
  json j = response_fields(r);
  j["mac"] = r.mac;
  return j.dump();
}
Result<EnrollResponse> parse_enroll_response(std::string_view body) {
  try {
    auto j = json::parse(body);
    EnrollResponse r;
    r.site_id = j.at("site_id");
    r.site_name = j.at("site_name");
    r.ca_pem = j.at("ca_pem");
    r.content_pub = j.at("content_pub");
    r.person_key_sealed = j.at("person_key_sealed");
    r.bundle_pub = j.at("bundle_pub");
    for (const auto& k : j.at("device_keys"))
      r.device_keys.push_back({k.at("device"), k.at("pub"), k.at("retired")});
    // An integer only: converting a float such as 1e300 would be undefined.
    if (!j.at("server_time_ms").is_number_integer()) throw std::invalid_argument("server_time_ms");
    r.server_time_ms = j.at("server_time_ms");
    if (j.contains("area_code")) {
      r.area_code = j.at("area_code");
      if (!is_area_code(r.area_code)) throw std::invalid_argument("area_code");
    }
    if (j.contains("device_number")) {
      if (!j.at("device_number").is_number_integer()) throw std::invalid_argument("device_number");
      std::int64_t n = j.at("device_number");
      if (n < 1 || n > kMaxDeviceNumber) throw std::invalid_argument("device_number");
      r.device_number = static_cast<int>(n);
    }
    r.mac = j.at("mac");
    return r;
  } catch (const std::exception&) {
    return Status(Code::kInvalidArgument, "malformed enroll response", "sync.malformed");
  }
}

Result<Bytes> seal_small(const Key32& key, ByteView plain) {
  Bytes nonce(12);
  random_bytes(nonce);
  CHZ_ASSIGN_OR_RETURN(Bytes ct, aes_gcm_seal(key, nonce, {}, plain));
  nonce.insert(nonce.end(), ct.begin(), ct.end());
  return nonce;
}
Result<Bytes> open_small(const Key32& key, ByteView sealed) {
  if (sealed.size() < 28) return Status(Code::kTampered, "sealed data too short", "sync.tampered");
  return aes_gcm_open(key, sealed.subspan(0, 12), {}, sealed.subspan(12));
}

}  // namespace chz::sync::api
