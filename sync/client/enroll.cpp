#include <curl/curl.h>

#include "sync/client/capped_body.h"
#include "sync/client/client.h"
#include "sync/protocol/box.h"

namespace chz::sync_client {
namespace api = sync::api;

namespace {
Result<Key32> key32(std::string_view h) {
  auto b = unhex(h);
  if (!b.ok() || b->size() != 32)
    return Status(Code::kInvalidArgument, "bad key in enrollment answer", "sync.malformed");
  Key32 k;
  std::copy(b->begin(), b->end(), k.begin());
  return k;
}
}  // namespace

Result<Enrollment> enroll(const std::string& server_url, const std::string& code,
                          const std::string& device_id, const Key32& device_pub,
                          const Key32& box_pub, long timeout_ms) {
  std::string norm = api::normalize_code(code);
  Key32 key = api::code_key(norm);
  api::EnrollRequest req{api::code_id(norm), device_id, hex(device_pub), hex(box_pub), ""};
  req.mac = hex(hmac_sha256(key, as_bytes(api::enroll_request_mac_input(req))));
  std::string body = api::to_json(req), out;

  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL* c = curl_easy_init();
  std::string url = server_url + std::string(api::kEnroll);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  // An enrollment answer is a few KB (keys, the CA, the published device keys).
  CappedBody sink{&out, kMaxEnrollAnswerBytes};
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_capped);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  // No CA yet: the exchange is authenticated by the code (MACs both ways),
  // and the CA we pin from now on comes inside the authenticated answer.
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_slist* hdrs = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
  CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(hdrs);
  curl_easy_cleanup(c);
  if (sink.over)
    return Status(Code::kTooLarge,
                  "the server's enrollment answer is larger than " +
                      std::to_string(kMaxEnrollAnswerBytes) +
                      " bytes: not a Chizheng county server",
                  "sync.too_large");
  if (rc != CURLE_OK)
    return Status(Code::kUnavailable, std::string("server unreachable: ") + curl_easy_strerror(rc),
                  "sync.unavailable");
  if (status != 200) return api::status_from_error(static_cast<int>(status), out);

  CHZ_ASSIGN_OR_RETURN(api::EnrollResponse resp, api::parse_enroll_response(out));
  Key32 mac = hmac_sha256(key, as_bytes(api::enroll_response_mac_input(resp)));
  auto got = unhex(resp.mac);
  if (!got.ok() || !equal_ct(mac, *got))
    return Status(Code::kTampered, "enrollment answer not authenticated by the code",
                  "sync.tampered");
  Enrollment e;
  CHZ_ASSIGN_OR_RETURN(Bytes sealed, unhex(resp.person_key_sealed));
  CHZ_ASSIGN_OR_RETURN(Bytes pk, api::open_small(key, sealed));
  if (pk.size() != 32) return Status(Code::kInvalidArgument, "bad person key", "sync.malformed");
  std::copy(pk.begin(), pk.end(), e.person_key.begin());
  CHZ_ASSIGN_OR_RETURN(e.content_pub, key32(resp.content_pub));
  CHZ_ASSIGN_OR_RETURN(e.bundle_pub, key32(resp.bundle_pub));
  e.response = std::move(resp);
  return e;
}

}  // namespace chz::sync_client
