// Signed requests and the unsigned JSON of the sync API (sync/protocol
// signing.h, api.h). The input is fields joined by "\n--\n": method, path,
// device, time, counter, signature, body; verify_request checks them under
// the fixed device key ("device"), and a request that verifies must stop
// verifying once its body changes. The whole input also goes to the
// enrollment request/response parsers (each must round-trip through
// to_json), the error-body parser and the one-time code normaliser.
#include <charconv>
#include <string>

#include "sync/protocol/api.h"
#include "sync/protocol/signing.h"
#include "tests/fuzz/fuzz_util.h"

using namespace chz;

namespace {
std::int64_t to_i64(std::string_view s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}
const Key32& device_pub() {
  static const Key32 pub = ed25519_public_from_secret(fuzz::fixed_key("device")).value();
  return pub;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = fuzz::as_view(data, size);
  fuzz::Parts p(in, "\n--\n");
  std::string_view method = p.next(), path = p.next();
  sync::RequestAuth a;
  a.device = std::string(p.next());
  a.time_ms = to_i64(p.next());
  a.counter = to_i64(p.next());
  a.signature = std::string(p.next());
  std::string body(p.rest());
  Status st = sync::verify_request(device_pub(), a, method, path, body);
  if (st.ok()) {
    body.push_back('x');
    FUZZ_CHECK(!sync::verify_request(device_pub(), a, method, path, body).ok());
  } else {
    FUZZ_CHECK(st.code() == Code::kUnauthenticated);
  }

  if (auto r = sync::api::parse_enroll_request(in); r.ok()) {
    auto back = sync::api::parse_enroll_request(sync::api::to_json(*r));
    FUZZ_CHECK(back.ok());
    FUZZ_CHECK(sync::api::enroll_request_mac_input(*back) ==
               sync::api::enroll_request_mac_input(*r));
    FUZZ_CHECK(back->mac == r->mac);
  }
  if (auto r = sync::api::parse_enroll_response(in); r.ok()) {
    auto back = sync::api::parse_enroll_response(sync::api::to_json(*r));
    FUZZ_CHECK(back.ok());
    FUZZ_CHECK(sync::api::enroll_response_mac_input(*back) ==
               sync::api::enroll_response_mac_input(*r));
  }
  Status e = sync::api::status_from_error(400, in);
  FUZZ_CHECK(!e.ok() && e.key().starts_with("sync."));
  (void)sync::api::http_status(sync::api::error_code(e));
  std::string code = sync::api::normalize_code(in);
  (void)sync::api::code_id(code);
  return 0;
}
