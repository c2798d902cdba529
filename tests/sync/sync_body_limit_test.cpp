// Request bodies are read with each route's hard cap, chunked or not: an
// unsigned upload is refused before its body, a signed one is cut at the
// cap with 413, and no request grows the server's memory past its limit.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "common/testing/sanitizer.h"
#include "sync/protocol/api.h"
#include "sync/protocol/signing.h"
#include "tests/sync/harness.h"
#include "tests/sync/raw_http.h"

using namespace chz;
using namespace chz::synctest;
namespace api = chz::sync::api;

namespace {
constexpr std::size_t kMiB = 1 << 20;
std::string error_of(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  return j.is_object() && j.contains("error") ? j["error"].get<std::string>() : std::string();
}
// Headers a signed upload of `k` would carry (the signature is not checked
// before the body is in, so any non-empty one passes the pre-check).
std::string signed_head(Harness& h, const Kiosk& k, const std::string& framing) {
  return "POST /api/v1/upload HTTP/1.1\r\nHost: county\r\nContent-Type: "
         "application/octet-stream\r\n" +
         std::string(sync::kHdrDevice) + ": " + k.id + "\r\n" + std::string(sync::kHdrTime) + ": " +
         std::to_string(h.clock.now_ms()) + "\r\n" + std::string(sync::kHdrCounter) + ": 1000\r\n" +
         std::string(sync::kHdrSignature) + ": AAAA\r\n" + framing + "\r\n";
}
}  // namespace

TEST_CASE("body limit: a chunked upload without signing headers is refused before its body") {
  Harness h;
  int fd = connect_from("127.0.0.5", h.http->port());
  REQUIRE(fd >= 0);
  FdSet one{{fd}};
  auto s = stream_chunked(fd,
                          "POST /api/v1/upload HTTP/1.1\r\nHost: county\r\nTransfer-Encoding: "
                          "chunked\r\n\r\n",
                          64 * kMiB, 20000);
  CHECK(s.status == 401);
  CHECK(error_of(s.body) == "bad_signature");
  CHECK(s.sent < 32 * kMiB);  // answered while the client was still sending
  CHECK(closed_within(fd, 3000));
}

TEST_CASE("body limit: a signed chunked upload is cut at the cap with 413, memory stays bounded") {
  Harness h;
  auto k = h.kiosk("site-a");
  std::size_t before = rss_bytes();
  int fd = connect_from("127.0.0.5", h.http->port());
  REQUIRE(fd >= 0);
  FdSet one{{fd}};
  auto s =
      stream_chunked(fd, signed_head(h, k, "Transfer-Encoding: chunked\r\n"), 64 * kMiB, 20000);
  CHECK(s.status == 413);
  CHECK(error_of(s.body) == "too_large");
  CHECK(s.sent >= api::kMaxUploadBytes);
  CHECK(s.sent < 32 * kMiB);
  std::size_t grown = peak_rss_bytes() > before ? peak_rss_bytes() - before : 0;
  MESSAGE("peak RSS grew by " << grown / 1024 << " KiB for a 64 MiB chunked upload");
  if (testing::kAddressSanitizer)
    MESSAGE("SKIP the RSS bound under AddressSanitizer (its quarantine keeps freed memory)");
  else
    CHECK(grown <= 2 * api::kMaxUploadBytes + 4 * kMiB);
  CHECK(h.store->records_of(k.id)->empty());
}

TEST_CASE("body limit: a Content-Length over the cap is refused before any body byte") {
  Harness h;
  auto k = h.kiosk("site-a");
  auto r =
      exchange(h.http->port(),
               signed_head(h, k, "Content-Length: " + std::to_string(100 * kMiB) + "\r\n"), 2000);
  CHECK(r.status == 413);
  CHECK(error_of(r.body) == "too_large");
}

TEST_CASE("body limit: enrollment has a small cap of its own") {
  Harness h;
  std::string big(api::kMaxEnrollBytes + 1, 'a');
  auto r = exchange(h.http->port(),
                    "POST /api/v1/enroll HTTP/1.1\r\nHost: county\r\nContent-Type: "
                    "application/json\r\nContent-Length: " +
                        std::to_string(big.size()) + "\r\n\r\n" + big,
                    2000);
  CHECK(r.status == 413);
  int fd = connect_from("127.0.0.5", h.http->port());
  REQUIRE(fd >= 0);
  FdSet one{{fd}};
  auto s = stream_chunked(
      fd, "POST /api/v1/enroll HTTP/1.1\r\nHost: county\r\nTransfer-Encoding: chunked\r\n\r\n",
      4 * kMiB, 10000);
  CHECK(s.status == 413);
  CHECK(s.sent < 4 * kMiB);
}

TEST_CASE("body limit: a GET with a body is refused") {
  Harness h;
  auto r = exchange(h.http->port(),
                    "GET /api/v1/health HTTP/1.1\r\nHost: county\r\nContent-Length: 5\r\n\r\nhello",
                    2000);
  CHECK(r.status == 400);
  CHECK(error_of(r.body) == "malformed");
}
