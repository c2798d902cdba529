#include "kiosk/store.h"

#include <doctest/doctest.h>

#include "common/testing/temp_dir.h"

using namespace chz;
using chz::testing::TempDir;

TEST_CASE("kiosk store: init creates key, store and a device identity of its own") {
  TempDir dir;
  FakeClock clock;
  auto s = kiosk::Store::init(dir / "data", clock);
  REQUIRE(s.ok());
  auto id = s->identity();
  REQUIRE(id.ok());
  CHECK(id->device_id.rfind("kiosk-", 0) == 0);
  CHECK(ed25519_public_from_secret(id->secret_key).value() == id->public_key);
  auto info = s->info();
  REQUIRE(info.ok());
  CHECK(info->schema_version == info->schema_latest);
  CHECK(info->cipher_version.size() > 0);
  CHECK(s->check().ok());
  // Two terminals never share an identity.
  TempDir dir2;
  auto s2 = kiosk::Store::init(dir2 / "data", clock);
  REQUIRE(s2.ok());
  CHECK(s2->identity()->device_id != id->device_id);
  CHECK(s2->identity()->public_key != id->public_key);
}

TEST_CASE("kiosk store: init refuses a folder that already has a store") {
  TempDir dir;
  FakeClock clock;
  REQUIRE(kiosk::Store::init(dir / "data", clock).ok());
  auto again = kiosk::Store::init(dir / "data", clock);
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().code() == Code::kAlreadyExists);
  CHECK(kiosk::Store::open(dir / "data").ok());
}

TEST_CASE("kiosk store: settings persist and identity survives key rotation") {
  TempDir dir;
  FakeClock clock;
  std::string device;
  {
    auto s = kiosk::Store::init(dir / "data", clock);
    REQUIRE(s.ok());
    device = s->identity()->device_id;
    REQUIRE(s->set_setting("enroll.site_id", "沁水县嘉峰镇农民夜校").ok());
    REQUIRE(s->rotate_key().ok());
  }
  auto s = kiosk::Store::open(dir / "data");
  REQUIRE(s.ok());
  CHECK(s->setting("enroll.site_id").value() == "沁水县嘉峰镇农民夜校");
  CHECK(s->identity()->device_id == device);
  CHECK(s->setting("nope").status().code() == Code::kNotFound);
}

TEST_CASE("kiosk store: opening a folder without a store says to run init") {
  TempDir dir;
  auto s = kiosk::Store::open(dir / "empty");
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == Code::kNotFound);
  CHECK(s.status().message().find("init") != std::string::npos);
}
