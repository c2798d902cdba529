// HTTPS with the county CA pinned at enrollment, and stateless handling
// across server processes sharing one database.
#include <doctest/doctest.h>
#include <httplib.h>

#include "sync/protocol/signing.h"
#include "sync/server/county_data.h"
#include "tests/sync/harness.h"

using namespace chz;
using namespace chz::synctest;

TEST_CASE("tls: a kiosk enrolls over HTTPS, pins the county CA and syncs") {
  Harness h(/*tls=*/true);
  CHECK(h.url().starts_with("https://"));
  auto k = h.kiosk("site-a");
  REQUIRE(!k.cred.ca_pem.empty());
  REQUIRE(k.dev->add_attendance(100, h.clock.now_ms()).ok());
  auto st = sync_client::Client(k.cred, {}, h.clock).sync_once(*k.dev, *k.dev);
  REQUIRE_MESSAGE(st.ok(), st.to_string());
  CHECK(server_holds_exactly(h, *k.dev));
}

TEST_CASE("tls: a server with a certificate from another CA is refused") {
  Harness h(/*tls=*/true);
  auto k = h.kiosk("site-a");
  REQUIRE(k.dev->add_attendance(10, h.clock.now_ms()).ok());
  auto other = server::make_county_keys("别的县", {"127.0.0.1"}, h.clock.now_ms()).value();
  auto cred = k.cred;
  cred.ca_pem = other.ca_pem;  // pinned the wrong county
  sync_client::ClientOptions o;
  o.max_attempts = 2;
  o.backoff_base_ms = 1;
  auto st = sync_client::Client(cred, o, h.clock).sync_once(*k.dev, *k.dev);
  CHECK(!st.ok());
  CHECK(h.store->records_of(k.id)->empty());
}

TEST_CASE("stateless: a request replayed to another server process is refused") {
  Harness h;
  auto k = h.kiosk("site-a");
  auto store2 = h.open_another_store();
  REQUIRE(store2.ok());
  server::Service svc2(**store2, h.keys, h.clock);
  auto http2 = server::HttpServer::start(svc2, {});
  REQUIRE(http2.ok());
  auto a = sync::sign_request(k.key.secret, k.id, "GET", "/api/v1/cursor", h.clock.now_ms(), 77, "")
               .value();
  httplib::Headers hd{{std::string(sync::kHdrDevice), a.device},
                      {std::string(sync::kHdrTime), std::to_string(a.time_ms)},
                      {std::string(sync::kHdrCounter), std::to_string(a.counter)},
                      {std::string(sync::kHdrSignature), a.signature}};
  httplib::Client c1("127.0.0.1", h.http->port()), c2("127.0.0.1", (*http2)->port());
  auto r1 = c1.Get("/api/v1/cursor", hd);
  REQUIRE(r1);
  CHECK(r1->status == 200);
  auto r2 = c2.Get("/api/v1/cursor", hd);
  REQUIRE(r2);
  CHECK(r2->status == 401);
  CHECK(r2->body.find("replayed") != std::string::npos);
  // And uploads through either process land in one place, exactly once.
  REQUIRE(k.dev->add_attendance(300, h.clock.now_ms()).ok());
  auto cred2 = k.cred;
  cred2.server_url = (*http2)->url();
  sync_client::ClientOptions o;
  o.batch = 50;
  REQUIRE(sync_client::Client(cred2, o, h.clock).sync_once(*k.dev, *k.dev).ok());
  REQUIRE(k.dev->add_attendance(100, h.clock.now_ms()).ok());
  REQUIRE(sync_client::Client(k.cred, o, h.clock).sync_once(*k.dev, *k.dev).ok());
  CHECK(server_holds_exactly(h, *k.dev));
  (*http2)->stop();
}
