// Upload, download and idempotency against the real server and client.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include "sync/protocol/idcard.h"
#include "sync/protocol/signing.h"
#include "sync/protocol/wire.h"
#include "sync/server/county_data.h"
#include "tests/sync/harness.h"

using namespace chz;
using namespace chz::synctest;
namespace api = chz::sync::api;

TEST_CASE("sync: a pass uploads everything in batches and the server holds it exactly") {
  Harness h;
  auto k = h.kiosk("site-a");
  REQUIRE(k.dev->add_attendance(2500, h.clock.now_ms()).ok());
  sync_client::ClientOptions o;
  o.batch = 700;
  sync_client::Client c(k.cred, o, h.clock);
  int calls = 0;
  auto st = c.sync_once(*k.dev, *k.dev, [&](const sync_client::Progress&) { ++calls; });
  REQUIRE_MESSAGE(st.ok(), st.to_string());
  CHECK(calls >= 5);
  CHECK(*k.dev->acknowledged() == 2500);
  CHECK(server_holds_exactly(h, *k.dev));
  // A second pass sends nothing new and changes nothing.
  REQUIRE(c.sync_once(*k.dev, *k.dev).ok());
  CHECK(h.store->records_of(k.id)->size() == 2500);
}

TEST_CASE("sync: an identical resend changes nothing; a different one is 409 and a fault") {
  Harness h;
  auto k = h.kiosk("site-a");
  REQUIRE(k.dev->add_attendance(10, h.clock.now_ms()).ok());
  sync_client::Client c(k.cred, {}, h.clock);
  REQUIRE(c.refresh_offset().ok());
  auto batch = sync::encode_batch(*k.dev->records_after(0, 10));
  auto r1 = c.request("POST", std::string(api::kUpload), batch);
  CHECK(r1.status == 200);
  auto r2 = c.request("POST", std::string(api::kUpload), batch);
  CHECK(r2.status == 200);
  CHECK(nlohmann::json::parse(r2.body)["cursor"] == 10);
  CHECK(h.store->records_of(k.id)->size() == 10);
  CHECK(h.store->faults()->empty());

  REQUIRE(k.dev->tamper(4, R"({"changed":1})").ok());
  auto r3 = c.request("POST", std::string(api::kUpload),
                      sync::encode_batch(*k.dev->records_after(0, 10)));
  CHECK(r3.status == 409);
  CHECK(nlohmann::json::parse(r3.body)["error"] == "conflict");
  REQUIRE(h.store->faults()->size() == 1);
  CHECK(h.store->faults()->front().device == k.id);
  CHECK(h.store->records_of(k.id)->at(3).body != R"({"changed":1})");
}

TEST_CASE("sync: a gap is refused and nothing is stored") {
  Harness h;
  auto k = h.kiosk("site-a");
  REQUIRE(k.dev->add_attendance(20, h.clock.now_ms()).ok());
  sync_client::Client c(k.cred, {}, h.clock);
  REQUIRE(c.refresh_offset().ok());
  auto r = c.request("POST", std::string(api::kUpload),
                     sync::encode_batch(*k.dev->records_after(5, 10)));
  CHECK(r.status == 409);
  CHECK(nlohmann::json::parse(r.body)["error"] == "gap");
  CHECK(h.store->records_of(k.id)->empty());
}

TEST_CASE(
    "sync: kiosks of one site receive each other's facts and the county's records, paginated") {
  Harness h;
  auto a = h.kiosk("site-a");
  auto b = h.kiosk("site-a");
  auto other = h.kiosk("site-b");
  REQUIRE(server::add_class(
              *h.store, {"class-1", "zhongfeng-yangzhi", "site-a", "中蜂养殖班", 30, {"staff-1"}},
              h.clock.now_ms())
              .ok());
  REQUIRE(server::enrol_person(
              *h.store, h.keys, "class-1",
              {std::string("14990119800101001") + sync::id_check_char("14990119800101001"),
               "吉喆",
               "城关镇",
               "南村",
               "",
               {"农村转移就业劳动者"}},
              h.clock.now_ms())
              .ok());
  REQUIRE(a.dev->add_attendance(1234, h.clock.now_ms()).ok());
  REQUIRE(other.dev->add_attendance(50, h.clock.now_ms()).ok());
  sync_client::ClientOptions o;
  o.feed_page = 100;
  REQUIRE(sync_client::Client(a.cred, o, h.clock).sync_once(*a.dev, *a.dev).ok());
  REQUIRE(sync_client::Client(other.cred, o, h.clock).sync_once(*other.dev, *other.dev).ok());
  REQUIRE(sync_client::Client(b.cred, o, h.clock).sync_once(*b.dev, *b.dev).ok());
  auto got = *b.dev->applied();
  // 1234 of a's facts + class + person + enrolment; nothing of site-b.
  CHECK(got.size() == 1237);
  for (const auto& r : got) CHECK(r.meta.origin_device != other.id);
  CHECK(*a.dev->applied_count() == 3);  // its own records are not echoed back
  // Contents equal what a wrote.
  auto a_out = *a.dev->outbox();
  std::vector<sync::Record> from_a;
  for (const auto& r : got)
    if (r.meta.origin_device == a.id) from_a.push_back(r);
  CHECK(from_a == a_out);
  // Another pass downloads nothing new.
  REQUIRE(sync_client::Client(b.cred, o, h.clock).sync_once(*b.dev, *b.dev).ok());
  CHECK(*b.dev->applied_count() == 1237);
}

TEST_CASE("sync: a kiosk clock days off still syncs; stamps far ahead are clamped") {
  Harness h;
  auto k = h.kiosk("site-a");
  SkewedClock ahead(5LL * 24 * 3600 * 1000);  // five days fast
  REQUIRE(k.dev->add_attendance(30, ahead.now_ms()).ok());
  sync_client::Client c(k.cred, {}, ahead);
  auto st = c.sync_once(*k.dev, *k.dev);
  REQUIRE_MESSAGE(st.ok(), st.to_string());
  CHECK(c.offset_ms() < -4LL * 24 * 3600 * 1000);
  auto held = *h.store->records_of(k.id);
  REQUIRE(held.size() == 30);
  for (const auto& r : held)
    CHECK(r.meta.hlc.physical_ms <= h.clock.now_ms() + sync::kMaxHlcAheadMs);
  // A kiosk days behind too.
  auto k2 = h.kiosk("site-a");
  SkewedClock behind(-3LL * 24 * 3600 * 1000);
  REQUIRE(k2.dev->add_attendance(5, behind.now_ms()).ok());
  REQUIRE(sync_client::Client(k2.cred, {}, behind).sync_once(*k2.dev, *k2.dev).ok());
  CHECK(server_holds_exactly(h, *k2.dev));
}

TEST_CASE("sync: content packages are fetched by id; unknown ids are 404") {
  Harness h;
  auto k = h.kiosk("site-a");
  REQUIRE(
      h.store->put_content("zhongfeng-yangzhi-v1", std::string("PKG\0bytes", 9), h.clock.now_ms())
          .ok());
  sync_client::Client c(k.cred, {}, h.clock);
  REQUIRE(c.refresh_offset().ok());
  auto got = c.fetch_content("zhongfeng-yangzhi-v1");
  REQUIRE(got.ok());
  CHECK(*got == std::string("PKG\0bytes", 9));
  CHECK(c.fetch_content("nope-v1").status().key() == "sync.not_found");
}

TEST_CASE("sync: the background runner syncs on trigger and reports progress and last success") {
  Harness h;
  auto k = h.kiosk("site-a");
  REQUIRE(k.dev->add_attendance(200, h.clock.now_ms()).ok());
  sync_client::SyncRunner runner(k.cred, {}, h.clock, *k.dev, *k.dev, 3600'000);
  runner.start();
  sync_client::Progress p;
  for (int i = 0; i < 200; ++i) {
    p = runner.progress();
    if (p.state == sync_client::Progress::State::kDone) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  CHECK(p.state == sync_client::Progress::State::kDone);
  CHECK(p.acknowledged == 200);
  CHECK(p.last_success_ms > 0);
  // Server gone: a pass fails and reports why.
  h.http->stop();
  runner.stop();
  sync_client::ClientOptions o;
  o.max_attempts = 2;
  o.backoff_base_ms = 1;
  o.connect_timeout_ms = 200;
  sync_client::SyncRunner r2(k.cred, o, h.clock, *k.dev, *k.dev, 3600'000);
  r2.start();
  for (int i = 0; i < 200; ++i) {
    p = r2.progress();
    if (p.state == sync_client::Progress::State::kFailed) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  CHECK(p.state == sync_client::Progress::State::kFailed);
  CHECK(!p.last_error.empty());
  r2.stop();
  CHECK(server_holds_exactly(h, *k.dev));
}
