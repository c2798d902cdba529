// Request signing. Every device request carries four headers and an
// Ed25519 signature (by the device key) over the string
//
//   "chz-req-v1\n" METHOD "\n" PATH(with query) "\n" DEVICE "\n" TIME_MS "\n"
//   COUNTER "\n" hex(SHA-256(body))
//
// TIME_MS is server-corrected time (device clock + the offset the server
// reported); COUNTER is a per-device strictly increasing number the server
// keeps in its database, so a replayed request is refused even by another
// server process.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/crypto.h"
#include "common/status.h"

namespace chz::sync {

inline constexpr std::string_view kHdrDevice = "X-Chz-Device";
inline constexpr std::string_view kHdrTime = "X-Chz-Time";
inline constexpr std::string_view kHdrCounter = "X-Chz-Counter";
inline constexpr std::string_view kHdrSignature = "X-Chz-Signature";

struct RequestAuth {
  std::string device;
  std::int64_t time_ms = 0;
  std::int64_t counter = 0;
  std::string signature;  // base64url of 64 bytes
};

std::string signing_string(std::string_view method, std::string_view path, std::string_view device,
                           std::int64_t time_ms, std::int64_t counter, std::string_view body);

// Signs a request. kInvalidArgument if the key is unusable.
Result<RequestAuth> sign_request(const Key32& secret, std::string_view device,
                                 std::string_view method, std::string_view path,
                                 std::int64_t time_ms, std::int64_t counter, std::string_view body);

// OK iff `auth.signature` signs this request under `pub`; kUnauthenticated
// (key "sync.bad_signature") otherwise. Time and counter are checked by the
// server against its clock and database, not here.
Status verify_request(const Key32& pub, const RequestAuth& auth, std::string_view method,
                      std::string_view path, std::string_view body);

}  // namespace chz::sync
