// A signed request with a body is refused on its headers alone, before the
// body is read: unknown or revoked device, stale time, stale counter. The
// client here sends only the headers; the server must answer anyway. The
// pre-check compares the counter and never consumes it.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "sync/protocol/signing.h"
#include "sync/protocol/wire.h"
#include "tests/sync/harness.h"
#include "tests/sync/raw_http.h"

using namespace chz;
using namespace chz::synctest;
namespace api = chz::sync::api;

namespace {
struct Answer {
  int status = 0;
  std::string error, head;
};
// Sends the headers of an upload of `length` bytes signed over `body`, and
// sends the body only if `send_body`.
Answer upload(Harness& h, const Kiosk& k, std::int64_t time_ms, std::int64_t counter,
              const std::string& body, bool send_body, std::size_t length = 1'000'000) {
  auto a = sync::sign_request(k.key.secret, k.id, "POST", "/api/v1/upload", time_ms, counter, body)
               .value();
  std::string req =
      "POST /api/v1/upload HTTP/1.1\r\nHost: county\r\nContent-Type: "
      "application/octet-stream\r\nContent-Length: " +
      std::to_string(send_body ? body.size() : length) + "\r\n" + std::string(sync::kHdrDevice) +
      ": " + a.device + "\r\n" + std::string(sync::kHdrTime) + ": " + std::to_string(a.time_ms) +
      "\r\n" + std::string(sync::kHdrCounter) + ": " + std::to_string(a.counter) + "\r\n" +
      std::string(sync::kHdrSignature) + ": " + a.signature + "\r\n\r\n";
  if (send_body) req += body;
  auto r = exchange(h.http->port(), req, 2000);
  Answer out{r.status, {}, r.head};
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_object() && j.contains("error")) out.error = j["error"];
  return out;
}
std::string batch(Kiosk& k) {
  return sync::encode_batch(*k.dev->records_after(0, 5));
}
}  // namespace

TEST_CASE("precheck: an unknown device is refused before its body is read") {
  Harness h;
  auto k = h.kiosk("site-a");
  k.id = "kiosk-nobody";
  auto a = upload(h, k, h.clock.now_ms(), 10, "x", false);
  CHECK(a.status == 401);
  CHECK(a.error == "unknown_device");
}

TEST_CASE("precheck: a revoked device is refused before its body is read") {
  Harness h;
  auto k = h.kiosk("site-a");
  REQUIRE(h.store->revoke_device(k.id).ok());
  auto a = upload(h, k, h.clock.now_ms(), 10, "x", false);
  CHECK(a.status == 403);
  CHECK(a.error == "revoked");
}

TEST_CASE("precheck: a stale time is refused before the body and does not use up the counter") {
  Harness h;
  auto k = h.kiosk("site-a");
  REQUIRE(k.dev->add_attendance(5, h.clock.now_ms()).ok());
  auto body = batch(k);
  auto a = upload(h, k, h.clock.now_ms() - api::kMaxSkewMs - 60'000, 50, body, false);
  CHECK(a.status == 401);
  CHECK(a.error == "stale_timestamp");
  // The same counter, now fresh and with its body: accepted.
  auto b = upload(h, k, h.clock.now_ms(), 50, body, true);
  CHECK(b.status == 200);
  CHECK(h.store->records_of(k.id)->size() == 5);
}

TEST_CASE("precheck: a stale counter is refused before the body, with the last counter") {
  Harness h;
  auto k = h.kiosk("site-a");
  REQUIRE(k.dev->add_attendance(5, h.clock.now_ms()).ok());
  auto body = batch(k);
  REQUIRE(upload(h, k, h.clock.now_ms(), 100, body, true).status == 200);
  auto a = upload(h, k, h.clock.now_ms(), 100, body, false);
  CHECK(a.status == 401);
  CHECK(a.error == "replayed");
  CHECK(a.head.find(std::string(api::kHdrLastCounter) + ": 100") != std::string::npos);
  auto b = upload(h, k, h.clock.now_ms(), 60, body, false);
  CHECK(b.error == "replayed");
}
