// Device short numbers (docs/decisions/identity-and-certificates.md part 2,
// item 1) through the real server, client and store, on both backends (the
// _pg variant runs it on PostgreSQL): the county gives each enrolling kiosk
// the next number, 001-999, in enrollment order, never reused, and says it
// with its area code in the code-authenticated enrollment answer.
#include <doctest/doctest.h>

#include "sync/protocol/box.h"
#include "sync/server/county_data.h"
#include "sync/server/verify.h"
#include "tests/sync/harness.h"

using namespace chz;
using namespace chz::synctest;

namespace {
// Enrolls `id` at site-a through the real client; the answer or its refusal.
Result<sync_client::Enrollment> enroll(Harness& h, const std::string& id) {
  auto code = server::issue_code(*h.store, "site-a", 3600'000, h.clock.now_ms());
  REQUIRE(code.ok());
  auto key = ed25519_generate();
  auto box = sync::x25519_generate();
  return sync_client::enroll(h.url(), *code, id, key.pub, box.pub);
}
}  // namespace

TEST_CASE("device numbers: given in enrollment order with the county's area code") {
  Harness h;
  h.keys.area_code = "140521";
  for (int i = 1; i <= 3; ++i) {
    std::string id = "kiosk-order-" + std::to_string(i);
    auto e = enroll(h, id);
    REQUIRE_MESSAGE(e.ok(), e.status().to_string());
    CHECK(e->response.device_number == i);
    CHECK(e->response.area_code == "140521");
    CHECK(h.store->device(id)->number == i);
  }
}

TEST_CASE("device numbers: a revoked device keeps its number and it is never given again") {
  Harness h;
  h.keys.area_code = "140521";
  REQUIRE(enroll(h, "kiosk-r1").ok());
  REQUIRE(enroll(h, "kiosk-r2").ok());
  REQUIRE(h.store->revoke_device("kiosk-r2").ok());
  auto third = enroll(h, "kiosk-r3");
  REQUIRE(third.ok());
  CHECK(third->response.device_number == 3);
  auto r2 = h.store->device("kiosk-r2");
  REQUIRE(r2.ok());
  CHECK(r2->revoked);
  CHECK(r2->number == 2);
  // The same device id enrolling again (a reinstalled kiosk) keeps its number.
  auto again = enroll(h, "kiosk-r1");
  REQUIRE_MESSAGE(again.ok(), again.status().to_string());
  CHECK(again->response.device_number == 1);
  CHECK(enroll(h, "kiosk-r4")->response.device_number == 4);
}

TEST_CASE("device numbers: a county.json without an area code sends the number alone") {
  Harness h;  // keys made before area codes: area_code ""
  REQUIRE(h.keys.area_code.empty());
  auto e = enroll(h, "kiosk-noarea");
  REQUIRE_MESSAGE(e.ok(), e.status().to_string());
  CHECK(e->response.area_code.empty());
  CHECK(e->response.device_number == 1);
}

TEST_CASE("device numbers: the 1000th device is refused clearly and its code stays unused") {
  Harness h;
  h.keys.area_code = "140521";
  REQUIRE(enroll(h, "kiosk-full-1").ok());
  REQUIRE(enroll(h, "kiosk-full-2").ok());
  for (int i = 3; i <= 999; ++i) {
    std::string id = "kiosk-full-" + std::to_string(i);
    REQUIRE(h.store->add_code({"code-" + id, random_key32(), "site-a", h.clock.now_ms() + 3600'000})
                .ok());
    auto n = h.store->enroll_device("code-" + id, h.clock.now_ms(), {id, "site-a", {}, {}});
    REQUIRE_MESSAGE(n.ok(), n.status().to_string());
    CHECK(*n == i);
  }
  auto code = server::issue_code(*h.store, "site-a", 3600'000, h.clock.now_ms());
  REQUIRE(code.ok());
  auto key = ed25519_generate();
  auto box = sync::x25519_generate();
  auto e = sync_client::enroll(h.url(), *code, "kiosk-full-1000", key.pub, box.pub);
  CHECK(e.status().key() == "sync.devices_full");
  CHECK(e.status().message().find("999") != std::string::npos);
  CHECK(h.store->device("kiosk-full-1000").status().key() == "sync.unknown_device");
  auto row = h.store->code(sync::api::code_id(sync::api::normalize_code(*code)));
  REQUIRE(row.ok());
  CHECK(!row->used);
}
