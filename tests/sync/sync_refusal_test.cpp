// Every refusal of the API, each with its own error and nothing stored.
#include <doctest/doctest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "sync/protocol/box.h"
#include "sync/protocol/signing.h"
#include "sync/protocol/wire.h"
#include "sync/server/county_data.h"
#include "tests/sync/harness.h"

using namespace chz;
using namespace chz::synctest;
namespace api = chz::sync::api;

namespace {
struct Raw {
  int status = 0;
  std::string error;
};
// Sends a request signed with `secret` as `device` at `time_ms` with `counter`.
Raw send(Harness& h, const std::string& method, const std::string& path, const std::string& body,
         const std::string& device, const Key32& secret, std::int64_t time_ms, std::int64_t counter,
         const std::string& body_signed = "\x01") {
  const std::string& sb = body_signed == "\x01" ? body : body_signed;
  auto a = sync::sign_request(secret, device, method, path, time_ms, counter, sb).value();
  httplib::Client c("127.0.0.1", h.http->port());
  httplib::Headers hd{{std::string(sync::kHdrDevice), a.device},
                      {std::string(sync::kHdrTime), std::to_string(a.time_ms)},
                      {std::string(sync::kHdrCounter), std::to_string(a.counter)},
                      {std::string(sync::kHdrSignature), a.signature}};
  auto res = method == "POST" ? c.Post(path.c_str(), hd, body, "application/octet-stream")
                              : c.Get(path.c_str(), hd);
  Raw r;
  if (!res) return r;
  r.status = res->status;
  auto j = nlohmann::json::parse(res->body, nullptr, false);
  if (j.is_object() && j.contains("error")) r.error = j["error"];
  return r;
}
std::string batch_of(Kiosk& k, int n) {
  return sync::encode_batch(*k.dev->records_after(0, static_cast<std::size_t>(n)));
}
std::int64_t ctr() {
  static std::int64_t c = 1;
  return ++c;
}
}  // namespace

TEST_CASE("refusal: a bad signature is refused and nothing is stored") {
  Harness h;
  auto k = h.kiosk("site-a");
  REQUIRE(k.dev->add_attendance(5, h.clock.now_ms()).ok());
  auto other = ed25519_generate();
  auto r = send(h, "POST", "/api/v1/upload", batch_of(k, 5), k.id, other.secret, h.clock.now_ms(),
                ctr());
  CHECK(r.status == 401);
  CHECK(r.error == "bad_signature");
  // The body changed after signing: also refused.
  auto r2 = send(h, "POST", "/api/v1/upload", batch_of(k, 5), k.id, k.key.secret, h.clock.now_ms(),
                 ctr(), "other");
  CHECK(r2.error == "bad_signature");
  CHECK(h.store->records_of(k.id)->empty());
}

TEST_CASE("refusal: a replayed request is refused, even its exact bytes") {
  Harness h;
  auto k = h.kiosk("site-a");
  REQUIRE(k.dev->add_attendance(5, h.clock.now_ms()).ok());
  std::int64_t t = h.clock.now_ms(), c = ctr();
  auto body = batch_of(k, 3);
  CHECK(send(h, "POST", "/api/v1/upload", body, k.id, k.key.secret, t, c).status == 200);
  REQUIRE(k.dev->add_attendance(0, t).ok());
  auto r = send(h, "POST", "/api/v1/upload", batch_of(k, 5), k.id, k.key.secret, t, c);
  CHECK(r.status == 401);
  CHECK(r.error == "replayed");
  auto r2 = send(h, "POST", "/api/v1/upload", batch_of(k, 5), k.id, k.key.secret, t, c - 1);
  CHECK(r2.error == "replayed");
  CHECK(h.store->records_of(k.id)->size() == 3);
}

TEST_CASE("refusal: a stale or future timestamp is refused") {
  Harness h;
  auto k = h.kiosk("site-a");
  REQUIRE(k.dev->add_attendance(5, h.clock.now_ms()).ok());
  auto r = send(h, "POST", "/api/v1/upload", batch_of(k, 5), k.id, k.key.secret,
                h.clock.now_ms() - 3600'000, ctr());
  CHECK(r.status == 401);
  CHECK(r.error == "stale_timestamp");
  auto r2 = send(h, "POST", "/api/v1/upload", batch_of(k, 5), k.id, k.key.secret,
                 h.clock.now_ms() + 3600'000, ctr());
  CHECK(r2.error == "stale_timestamp");
  CHECK(h.store->records_of(k.id)->empty());
}

TEST_CASE("refusal: a revoked device is refused") {
  Harness h;
  auto k = h.kiosk("site-a");
  REQUIRE(k.dev->add_attendance(5, h.clock.now_ms()).ok());
  REQUIRE(h.store->revoke_device(k.id).ok());
  auto r = send(h, "POST", "/api/v1/upload", batch_of(k, 5), k.id, k.key.secret, h.clock.now_ms(),
                ctr());
  CHECK(r.status == 403);
  CHECK(r.error == "revoked");
  auto st = sync_client::Client(k.cred, {}, h.clock).sync_once(*k.dev, *k.dev);
  CHECK(st.key() == "sync.revoked");
  CHECK(h.store->records_of(k.id)->empty());
}

TEST_CASE("refusal: an unknown device is refused") {
  Harness h;
  auto stranger = ed25519_generate();
  auto r = send(h, "GET", "/api/v1/cursor", "", "kiosk-stranger", stranger.secret, h.clock.now_ms(),
                ctr());
  CHECK(r.status == 401);
  CHECK(r.error == "unknown_device");
}

TEST_CASE("refusal: another site's feed is refused") {
  Harness h;
  auto k = h.kiosk("site-a");
  REQUIRE(server::add_class(*h.store, {"class-b", "hangong", "site-b", "焊工班", 20, {}},
                            h.clock.now_ms())
              .ok());
  auto r = send(h, "GET", "/api/v1/feed?after=0&site=site-b", "", k.id, k.key.secret,
                h.clock.now_ms(), ctr());
  CHECK(r.status == 403);
  CHECK(r.error == "wrong_site");
  CHECK(k.dev->applied()->empty());
}

TEST_CASE("refusal: an oversized batch is refused") {
  Harness h;
  auto k = h.kiosk("site-a");
  REQUIRE(
      k.dev->add_attendance(static_cast<int>(api::kMaxUploadRecords) + 1, h.clock.now_ms()).ok());
  auto r =
      send(h, "POST", "/api/v1/upload", batch_of(k, static_cast<int>(api::kMaxUploadRecords) + 1),
           k.id, k.key.secret, h.clock.now_ms(), ctr());
  CHECK(r.status == 413);
  CHECK(r.error == "too_large");
  // Too many bytes: refused before anything is read into the store.
  std::string huge(api::kMaxUploadBytes + 100, 'x');
  auto r2 = send(h, "POST", "/api/v1/upload", huge, k.id, k.key.secret, h.clock.now_ms(), ctr());
  CHECK(r2.status == 413);
  CHECK(r2.error == "too_large");
  CHECK(h.store->records_of(k.id)->empty());
}

TEST_CASE("refusal: a malformed body is refused") {
  Harness h;
  auto k = h.kiosk("site-a");
  REQUIRE(k.dev->add_attendance(5, h.clock.now_ms()).ok());
  auto good = batch_of(k, 5);
  auto r = send(h, "POST", "/api/v1/upload", good.substr(0, good.size() / 2), k.id, k.key.secret,
                h.clock.now_ms(), ctr());
  CHECK(r.status == 400);
  CHECK(r.error == "malformed");
  auto r2 = send(h, "POST", "/api/v1/upload", "{\"records\":[]}", k.id, k.key.secret,
                 h.clock.now_ms(), ctr());
  CHECK(r2.error == "malformed");
  CHECK(h.store->records_of(k.id)->empty());
}

TEST_CASE("refusal: records of another device are refused") {
  Harness h;
  auto k = h.kiosk("site-a");
  auto other = h.kiosk("site-a");
  REQUIRE(other.dev->add_attendance(5, h.clock.now_ms()).ok());
  auto r = send(h, "POST", "/api/v1/upload", batch_of(other, 5), k.id, k.key.secret,
                h.clock.now_ms(), ctr());
  CHECK(r.status == 403);
  CHECK(r.error == "foreign_record");
  CHECK(h.store->records_of(other.id)->empty());
}

TEST_CASE("refusal: an enrollment code works once, for its site, before it expires") {
  Harness h;
  auto code = *server::issue_code(*h.store, "site-b", 3600'000, h.clock.now_ms());
  auto dev = ed25519_generate();
  auto box = sync::x25519_generate();
  auto e = sync_client::enroll(h.url(), code, "kiosk-once", dev.pub, box.pub);
  REQUIRE(e.ok());
  CHECK(e->response.site_id == "site-b");
  auto again = sync_client::enroll(h.url(), code, "kiosk-twice", dev.pub, box.pub);
  CHECK(again.status().key() == "sync.bad_code");
  auto wrong =
      sync_client::enroll(h.url(), "AAAA-BBBB-CCCC-DDDD-EEEE", "kiosk-guess", dev.pub, box.pub);
  CHECK(wrong.status().key() == "sync.bad_code");
  auto expired = *server::issue_code(*h.store, "site-a", -1, h.clock.now_ms());
  CHECK(sync_client::enroll(h.url(), expired, "kiosk-late", dev.pub, box.pub).status().key() ==
        "sync.bad_code");
  CHECK(!h.store->device("kiosk-twice").ok());
  CHECK(!h.store->device("kiosk-late").ok());
}
