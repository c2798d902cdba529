#include "sync/protocol/signing.h"

#include <fmt/format.h>

namespace chz::sync {

std::string signing_string(std::string_view method, std::string_view path, std::string_view device,
                           std::int64_t time_ms, std::int64_t counter, std::string_view body) {
  return fmt::format("chz-req-v1\n{}\n{}\n{}\n{}\n{}\n{}", method, path, device, time_ms, counter,
                     hex(sha256(body)));
}

Result<RequestAuth> sign_request(const Key32& secret, std::string_view device,
                                 std::string_view method, std::string_view path,
                                 std::int64_t time_ms, std::int64_t counter,
                                 std::string_view body) {
  std::string msg = signing_string(method, path, device, time_ms, counter, body);
  CHZ_ASSIGN_OR_RETURN(auto sig, ed25519_sign(secret, as_bytes(msg)));
  return RequestAuth{std::string(device), time_ms, counter, base64url(sig)};
}

Status verify_request(const Key32& pub, const RequestAuth& auth, std::string_view method,
                      std::string_view path, std::string_view body) {
  auto bad = [] {
    return Status(Code::kUnauthenticated, "bad request signature", "sync.bad_signature");
  };
  auto sig = unbase64url(auth.signature);
  if (!sig.ok() || sig->size() != 64) return bad();
  std::string msg = signing_string(method, path, auth.device, auth.time_ms, auth.counter, body);
  if (!ed25519_verify(pub, as_bytes(msg), *sig).ok()) return bad();
  return OkStatus();
}

}  // namespace chz::sync
