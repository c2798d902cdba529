// app/ops with a real kiosk store and a real county server on 127.0.0.1.
#include <doctest/doctest.h>

#include <fstream>

#include <chrono>
#include <thread>

#include "app/ops/kiosk_ops.h"
#include "app/ops/sync_worker.h"
#include "common/fs.h"
#include "content/install.h"
#include "content/package.h"
#include "content/source.h"
#include "kiosk/demo_fill.h"
#include "kiosk/outbox.h"
#include "kiosk/people.h"
#include "kiosk/staff.h"
#include "sync/server/county_data.h"
#include "tests/sync/harness.h"

namespace chz {
namespace {
namespace fs = std::filesystem;

struct KioskAtCounty {
  synctest::Harness h;
  testing::TempDir dir{"chz-ops"};
  SystemClock clock;
  kiosk::Store store = kiosk::Store::init(dir / "kiosk", clock).value();

  std::string code(const std::string& site = "site-a") {
    return server::issue_code(*h.store, site, 3600'000, clock.now_ms()).value();
  }
  void enroll() {
    auto e = ops::enroll(store, clock, h.url(), code());
    REQUIRE_MESSAGE(e.ok(), e.status().to_string());
  }
  void fill() {
    kiosk::DemoFillOptions o;
    o.people = 12;
    o.days_back = 2;
    o.pin_iterations = 1000;
    REQUIRE(kiosk::fill_demo(store.db(), clock, o).ok());
  }
  // One more record at the kiosk: a trainer registers a walk-in.
  void walk_in() {
    kiosk::Actor trainer;
    auto staff = kiosk::list_staff(store.db());
    REQUIRE(staff.ok());
    for (const auto& m : *staff)
      if (m.role == kiosk::Role::kTrainer) trainer = {m.role, m.id};
    REQUIRE_FALSE(trainer.id.empty());
    auto key = kiosk::register_person(store.db(), clock, trainer,
                                      {"140521197003123017", "张𠮷", "龙港镇", "东村"});
    REQUIRE_MESSAGE(key.ok(), key.status().to_string());
  }
  std::int64_t waiting() {
    auto s = ops::sync_status(store, clock);
    REQUIRE(s.ok());
    return s->waiting();
  }
};

std::string course_dir() {
  return std::string(std::getenv("CHZ_SOURCE_DIR")) + "/content/courses/zhongfeng-yangzhi";
}

TEST_CASE("ops: enrollment stores the county's answer and is never repeated") {
  KioskAtCounty k;
  auto e = ops::enroll(k.store, k.clock, k.h.url() + "/", " " + k.code() + " ");
  REQUIRE_MESSAGE(e.ok(), e.status().to_string());
  CHECK(e->site_id == "site-a");
  CHECK(e->site_name == "城关镇农民夜校");
  CHECK(k.store.setting("server.url").value() == k.h.url());
  CHECK(k.store.setting("county.bundle_pub").ok());
  auto again = ops::enroll(k.store, k.clock, k.h.url(), k.code());
  CHECK(again.status().key() == "sync.already_enrolled");
}

TEST_CASE("ops: a wrong or used code stores nothing") {
  KioskAtCounty k;
  auto bad = ops::enroll(k.store, k.clock, k.h.url(), "WRONG-CODE-123");
  CHECK_FALSE(bad.ok());
  CHECK_FALSE(k.store.setting("enroll.site_id").ok());
  CHECK(ops::sync_pass(k.store, k.clock).status().key() == "sync.not_enrolled");
}

TEST_CASE("ops: a sync pass uploads everything and records its success") {
  KioskAtCounty k;
  k.enroll();
  k.fill();
  CHECK(k.waiting() > 0);
  auto r = ops::sync_pass(k.store, k.clock);
  REQUIRE_MESSAGE(r.ok(), r.status().to_string());
  CHECK(k.waiting() == 0);
  auto s = ops::sync_status(k.store, k.clock).value();
  CHECK(s.last_success_ms > 0);
  CHECK(s.last_error.empty());
  CHECK(s.site_name == "城关镇农民夜校");
}

TEST_CASE("ops: a failed pass is recorded and loses nothing") {
  KioskAtCounty k;
  k.enroll();
  k.fill();
  std::int64_t before = k.waiting();
  k.h.http->stop();
  sync_client::ClientOptions quick;
  quick.max_attempts = 1;
  quick.connect_timeout_ms = 500;
  auto r = ops::sync_pass(k.store, k.clock, {}, quick);
  CHECK_FALSE(r.ok());
  CHECK(k.waiting() == before);
  CHECK_FALSE(ops::sync_status(k.store, k.clock).value().last_error.empty());
  k.h.restart_http();
  // The server listens on a new port; point the kiosk at it.
  REQUIRE(k.store.set_setting("server.url", k.h.url()).ok());
  REQUIRE(ops::sync_pass(k.store, k.clock).ok());
  CHECK(k.waiting() == 0);
  CHECK(ops::sync_status(k.store, k.clock).value().last_error.empty());
}

TEST_CASE("ops: USB export writes the waiting records; a missing stick is refused") {
  KioskAtCounty k;
  k.enroll();
  k.fill();
  testing::TempDir usb("chz-usb");
  auto ex = ops::export_usb(k.store, k.clock, usb.path());
  REQUIRE_MESSAGE(ex.ok(), ex.status().to_string());
  CHECK(ex->first_seq == 1);
  CHECK(ex->last_seq == k.waiting());
  CHECK(fs::file_size(ex->file) > 0);
  CHECK(ops::export_usb(k.store, k.clock, usb / "gone").status().key() == "usb.missing");
  kiosk::Store fresh = kiosk::Store::init(k.dir / "fresh", k.clock).value();
  CHECK(ops::export_usb(fresh, k.clock, usb.path()).status().key() == "sync.not_enrolled");
}

TEST_CASE("ops: a sync or enrollment while another holds the kiosk's sync lock is refused") {
  KioskAtCounty k;
  // Another process's pass (or the UI's sync thread) holds the lock.
  auto other = FileLock::acquire(k.dir / "kiosk" / "sync.lock", FileLock::Mode::kExclusive, 0);
  REQUIRE(other.ok());
  auto e = ops::enroll(k.store, k.clock, k.h.url(), k.code());
  CHECK(e.status().key() == "sync.already_running");
  CHECK_FALSE(k.store.setting("enroll.site_id").ok());  // nothing stored
  other->release();
  k.enroll();
  k.fill();
  auto again = FileLock::acquire(k.dir / "kiosk" / "sync.lock", FileLock::Mode::kExclusive, 0);
  REQUIRE(again.ok());
  std::int64_t before = k.waiting();
  auto r = ops::sync_pass(k.store, k.clock);
  CHECK(r.status().code() == Code::kUnavailable);
  CHECK(r.status().key() == "sync.already_running");
  CHECK(k.waiting() == before);  // nothing was sent
  again->release();
  REQUIRE(ops::sync_pass(k.store, k.clock).ok());
  CHECK(k.waiting() == 0);
}

TEST_CASE("ops: a site bundle on a stick larger than 128 MiB is refused before it is read") {
  KioskAtCounty k;
  k.enroll();
  testing::TempDir usb("chz-usb");
  auto big = usb / "site-bundle.chzb";
  { std::ofstream(big, std::ios::binary); }
  fs::resize_file(big, (128u << 20) + 1);  // sparse: costs no disk
  auto before = ops::sync_status(k.store, k.clock);
  REQUIRE(before.ok());
  auto r = ops::import_usb(k.store, k.clock, big);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kTooLarge);
  CHECK(r.status().key() == "usb.too_large");
  auto after = ops::sync_status(k.store, k.clock);
  REQUIRE(after.ok());
  CHECK(after->feed_cursor == before->feed_cursor);
}

TEST_CASE("ops: course packages from a USB folder install; tampered ones are refused") {
  KioskAtCounty k;
  k.enroll();
  testing::TempDir usb("chz-usb");
  auto src = content::read_source(course_dir());
  REQUIRE_MESSAGE(src.ok(), src.status().to_string());
  auto pkg = content::build_package(*src, k.h.keys.content_secret);
  REQUIRE(pkg.ok());
  REQUIRE(write_file_atomic(usb / "a-good.chzpkg", *pkg).ok());
  std::string bad = *pkg;
  bad[bad.size() / 2] ^= 0x5a;
  REQUIRE(write_file_atomic(usb / "b-tampered.chzpkg", bad).ok());
  // Signed by another county: refused too.
  auto other = content::build_package(*src, ed25519_generate().secret);
  REQUIRE(write_file_atomic(usb / "c-foreign.chzpkg", *other).ok());

  auto r = ops::install_content_from(k.store, usb.path());
  REQUIRE_MESSAGE(r.ok(), r.status().to_string());
  CHECK(r->installed.size() == 1);
  CHECK(r->refused.size() == 2);
  CHECK(content::installed_version(k.store.dir(), src->course.id).ok());
  // The same stick again: nothing new, nothing refused beyond the bad two.
  auto again = ops::install_content_from(k.store, usb.path());
  REQUIRE(again.ok());
  CHECK(again->installed.empty());
  CHECK(again->skipped.size() == 1);
  testing::TempDir empty("chz-usb-empty");
  CHECK(ops::install_content_from(k.store, empty.path()).status().key() == "usb.no_content");
}

TEST_CASE("ops: the enrollment file on a stick") {
  testing::TempDir usb("chz-usb");
  CHECK(ops::read_enroll_file(usb.path()).status().key() == "enroll.no_file");
  REQUIRE(write_file_atomic(usb / "chizheng-enroll.txt",
                            "# 沁水县\nserver=https://10.0.0.2:8443\n"
                            "code=ABCD-EFGH\r\n")
              .ok());
  auto f = ops::read_enroll_file(usb.path());
  REQUIRE(f.ok());
  CHECK(f->server == "https://10.0.0.2:8443");
  CHECK(f->code == "ABCD-EFGH");
  REQUIRE(write_file_atomic(usb / "chizheng-enroll.txt", "server=x\n").ok());
  CHECK(ops::read_enroll_file(usb.path()).status().key() == "enroll.bad_file");
  // A huge file is refused, not read.
  REQUIRE(write_file_atomic(usb / "chizheng-enroll.txt",
                            "server=https://10.0.0.2:8443\ncode=" + std::string(8000, 'A'))
              .ok());
  CHECK_FALSE(ops::read_enroll_file(usb.path()).ok());
}

TEST_CASE("ops: the UI's sync thread runs passes on its own connection") {
  KioskAtCounty k;
  k.enroll();
  k.fill();
  ops::SyncWorker w(k.store.dir(), k.clock, 3600'000);
  w.start();
  auto wait_passes = [&](std::int64_t n) {
    for (int i = 0; i < 400 && w.snapshot().passes < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    return w.snapshot();
  };
  auto s = wait_passes(1);
  CHECK(s.passes >= 1);
  CHECK(s.last_error.empty());
  CHECK(k.waiting() == 0);
  k.walk_in();  // a new record at the kiosk while the worker waits
  CHECK(k.waiting() > 0);
  w.trigger();
  wait_passes(2);
  CHECK(k.waiting() == 0);
  w.stop();
}

}  // namespace
}  // namespace chz
