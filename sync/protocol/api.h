// The county server's HTTP API, version 1 (both ends include this).
//
//   GET  /api/v1/health                     unsigned; {"ok":true,"version":1}
//   GET  /api/v1/time                       unsigned; {"now_ms":...}
//   POST /api/v1/enroll                     unsigned, authenticated by the
//                                           one-time code (EnrollRequest/Response)
//   GET  /api/v1/cursor                     signed; {"cursor":N} highest
//                                           contiguous seq held for the device
//   POST /api/v1/upload                     signed; body = wire batch of the
//                                           device's own records; {"cursor":N}
//   GET  /api/v1/feed?after=C&limit=N       signed; body = wire batch of the
//                                           site's records from others; headers
//                                           X-Chz-Next-Cursor, X-Chz-More (0|1)
//   GET  /api/v1/content/<package id>       signed; the signed course package
//
// Errors: HTTP status + {"error": <one of the codes below>, "message": ...}.
// Every refusal stores nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/crypto.h"
#include "common/status.h"

namespace chz::sync::api {

inline constexpr int kVersion = 1;
inline constexpr std::string_view kHealth = "/api/v1/health";
inline constexpr std::string_view kTime = "/api/v1/time";
inline constexpr std::string_view kEnroll = "/api/v1/enroll";
inline constexpr std::string_view kCursor = "/api/v1/cursor";
inline constexpr std::string_view kUpload = "/api/v1/upload";
inline constexpr std::string_view kFeed = "/api/v1/feed";
inline constexpr std::string_view kContent = "/api/v1/content/";
// Every device key the county holds (public keys, revoked ones marked), for
// offline certificate verifiers; unsigned, as a county publishes it.
inline constexpr std::string_view kDeviceKeys = "/api/v1/device-keys";
inline constexpr std::string_view kHdrNextCursor = "X-Chz-Next-Cursor";
inline constexpr std::string_view kHdrMore = "X-Chz-More";
// On a replay refusal the server tells the device its last accepted counter.
inline constexpr std::string_view kHdrLastCounter = "X-Chz-Last-Counter";

// Limits: a request older/newer than this (in corrected time) is stale.
inline constexpr std::int64_t kMaxSkewMs = 5 * 60 * 1000;
inline constexpr std::size_t kMaxUploadBytes = 8u << 20;
// Enrollment is unsigned (the one-time code authenticates it): a small cap.
inline constexpr std::size_t kMaxEnrollBytes = 16u << 10;
inline constexpr std::size_t kMaxUploadRecords = 10'000;
inline constexpr std::size_t kMaxFeedPage = 5'000;

// Error codes (the "error" field), one per refusal.
namespace err {
inline constexpr std::string_view kBadSignature = "bad_signature";
inline constexpr std::string_view kReplayed = "replayed";
inline constexpr std::string_view kStaleTimestamp = "stale_timestamp";
inline constexpr std::string_view kUnknownDevice = "unknown_device";
inline constexpr std::string_view kRevoked = "revoked";
inline constexpr std::string_view kWrongSite = "wrong_site";
inline constexpr std::string_view kForeignRecord = "foreign_record";
inline constexpr std::string_view kTooLarge = "too_large";
inline constexpr std::string_view kMalformed = "malformed";
inline constexpr std::string_view kConflict = "conflict";
inline constexpr std::string_view kGap = "gap";
inline constexpr std::string_view kBadCode = "bad_code";
inline constexpr std::string_view kNotFound = "not_found";
inline constexpr std::string_view kUnavailable = "unavailable";
inline constexpr std::string_view kInternal = "internal";
// The county has given out all 999 device short numbers (cert_number.h).
inline constexpr std::string_view kDevicesFull = "devices_full";
}  // namespace err

// HTTP status of each error code.
int http_status(std::string_view error);
// Status -> error code: uses the Status key "sync.<code>" when present.
std::string_view error_code(const Status& st);
// The JSON error body.
std::string error_body(std::string_view error, std::string_view message);
// Parses an error body (or returns "internal"); with the HTTP status makes
// a Status keyed "sync.<code>" so callers can tell refusals apart.
Status status_from_error(int http, std::string_view body);

// ---- enrollment ----
// A one-time code, as printed for the site admin: 20 characters of Crockford
// base32 in groups of 4 ("7K3Q-..."). Dashes, spaces and case are ignored.
std::string normalize_code(std::string_view code);
// Public handle of the code (what the server indexes): hex, 16 chars.
std::string code_id(std::string_view normalized_code);
// The key both ends derive from the code; authenticates the exchange.
Key32 code_key(std::string_view normalized_code);

struct EnrollRequest {
  std::string code_id;
  std::string device_id;
  std::string device_pub;  // hex Ed25519
  std::string box_pub;     // hex X25519 (site bundles are encrypted to it)
  std::string mac;         // hex HMAC(code_key, fields above)
};
std::string enroll_request_mac_input(const EnrollRequest& r);
std::string to_json(const EnrollRequest& r);
Result<EnrollRequest> parse_enroll_request(std::string_view body);

struct DeviceKey {
  std::string device;
  std::string pub;  // hex
  bool retired = false;
};
struct EnrollResponse {
  std::string site_id;
  std::string site_name;
  std::string ca_pem;             // the county CA the kiosk pins ("" over plain HTTP)
  std::string content_pub;        // hex Ed25519: course packages, site bundles
  std::string person_key_sealed;  // hex: AES-256-GCM(code_key) of the 32-byte county person key
  std::string bundle_pub;         // hex X25519: USB bundles are encrypted to it
  std::vector<DeviceKey> device_keys;
  std::int64_t server_time_ms = 0;
  // The county's 行政区划代码 and this device's short number (1-999), the
  // parts of its certificate numbers (sync/protocol/cert_number.h). A
  // server before them sends neither: "" and 0. Each is in the JSON and
  // the MAC input only when set, so older answers still authenticate.
  std::string area_code;
  int device_number = 0;
  std::string mac;  // hex HMAC(code_key, response without mac)
};
std::string enroll_response_mac_input(const EnrollResponse& r);
std::string to_json(const EnrollResponse& r);
Result<EnrollResponse> parse_enroll_response(std::string_view body);

// AES-256-GCM helpers for small secrets under a 32-byte key: nonce|ct|tag.
Result<Bytes> seal_small(const Key32& key, ByteView plain);
Result<Bytes> open_small(const Key32& key, ByteView sealed);

}  // namespace chz::sync::api
