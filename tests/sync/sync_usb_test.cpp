// USB sneakernet: device bundles into the county, site bundles back.
#include <doctest/doctest.h>

#include "sync/client/usb.h"
#include "sync/server/county_data.h"
#include "tests/sync/harness.h"

using namespace chz;
using namespace chz::synctest;

TEST_CASE("usb: a bundle round trip carries records in and the feed and ack cursor back") {
  Harness h;
  auto a = h.kiosk("site-a");
  auto b = h.kiosk("site-a");
  REQUIRE(b.dev->add_attendance(300, h.clock.now_ms()).ok());
  REQUIRE(sync_client::Client(b.cred, {}, h.clock).sync_once(*b.dev, *b.dev).ok());
  REQUIRE(a.dev->add_attendance(700, h.clock.now_ms()).ok());
  auto ex = sync_client::export_usb(*a.dev, a.key.secret, h.keys.bundle_pub, h.clock.now_ms());
  REQUIRE(ex.ok());
  CHECK(ex->first_seq == 1);
  CHECK(ex->last_seq == 700);
  auto cur = h.svc->import_device_bundle(ex->bytes);
  REQUIRE_MESSAGE(cur.ok(), cur.status().to_string());
  CHECK(*cur == 700);
  CHECK(server_holds_exactly(h, *a.dev));
  // The same bundle again changes nothing.
  CHECK(*h.svc->import_device_bundle(ex->bytes) == 700);
  CHECK(h.store->records_of(a.id)->size() == 700);
  // The site bundle back: b's facts, and the ack so a stops re-exporting.
  auto site = h.svc->export_site_bundle(a.id, 0);
  REQUIRE(site.ok());
  auto im =
      sync_client::import_site_bundle(*site, h.keys.content_pub, a.box_secret, *a.dev, *a.dev);
  REQUIRE_MESSAGE(im.ok(), im.status().to_string());
  CHECK(im->applied == 300);
  CHECK(*a.dev->acknowledged() == 700);
  CHECK(*a.dev->applied() == *b.dev->outbox());
  auto again = sync_client::export_usb(*a.dev, a.key.secret, h.keys.bundle_pub, h.clock.now_ms());
  CHECK(again->last_seq == 0);
  // Importing the site bundle twice applies nothing new.
  REQUIRE(sync_client::import_site_bundle(*site, h.keys.content_pub, a.box_secret, *a.dev, *a.dev)
              .ok());
  CHECK(*a.dev->applied_count() == 300);
}

TEST_CASE("usb: a tampered or foreign bundle is refused and nothing is stored") {
  Harness h;
  auto a = h.kiosk("site-a");
  REQUIRE(a.dev->add_attendance(50, h.clock.now_ms()).ok());
  auto ex = *sync_client::export_usb(*a.dev, a.key.secret, h.keys.bundle_pub, h.clock.now_ms());
  std::string t = ex.bytes;
  t[t.size() - 40] ^= 0x20;
  CHECK(h.svc->import_device_bundle(t).status().code() == Code::kTampered);
  // Signed by someone else claiming to be the device.
  auto forger = ed25519_generate();
  auto forged =
      *sync_client::export_usb(*a.dev, forger.secret, h.keys.bundle_pub, h.clock.now_ms());
  CHECK(h.svc->import_device_bundle(forged.bytes).status().code() == Code::kTampered);
  CHECK(h.store->records_of(a.id)->empty());
  // A site bundle for another device is refused at the kiosk.
  auto b = h.kiosk("site-a");
  auto for_b = *h.svc->export_site_bundle(b.id, 0);
  CHECK(!sync_client::import_site_bundle(for_b, h.keys.content_pub, a.box_secret, *a.dev, *a.dev)
             .ok());
  std::string ts = for_b;
  ts[ts.size() - 3] ^= 1;
  CHECK(sync_client::import_site_bundle(ts, h.keys.content_pub, b.box_secret, *b.dev, *b.dev)
            .status()
            .code() == Code::kTampered);
  // A revoked device's bundle is refused.
  REQUIRE(h.store->revoke_device(a.id).ok());
  CHECK(h.svc->import_device_bundle(ex.bytes).status().key() == "sync.revoked");
  CHECK(h.store->records_of(a.id)->empty());
}

TEST_CASE("usb: mixing USB and network sync stores every record exactly once") {
  Harness h;
  auto a = h.kiosk("site-a");
  REQUIRE(a.dev->add_attendance(400, h.clock.now_ms()).ok());
  auto usb1 = *sync_client::export_usb(*a.dev, a.key.secret, h.keys.bundle_pub,
                                       h.clock.now_ms());  // 1..400
  REQUIRE(
      sync_client::Client(a.cred, {}, h.clock).sync_once(*a.dev, *a.dev).ok());  // network 1..400
  REQUIRE(a.dev->add_attendance(300, h.clock.now_ms()).ok());
  auto usb2 = *sync_client::export_usb(*a.dev, a.key.secret, h.keys.bundle_pub,
                                       h.clock.now_ms());  // 401..700
  CHECK(usb2.first_seq == 401);
  CHECK(*h.svc->import_device_bundle(usb1.bytes) == 400);  // late stick: nothing new
  CHECK(*h.svc->import_device_bundle(usb2.bytes) == 700);
  REQUIRE(a.dev->add_attendance(100, h.clock.now_ms()).ok());
  REQUIRE(
      sync_client::Client(a.cred, {}, h.clock).sync_once(*a.dev, *a.dev).ok());  // resumes at 701
  CHECK(*h.svc->import_device_bundle(usb2.bytes) == 800);
  CHECK(server_holds_exactly(h, *a.dev));
  CHECK(h.store->faults()->empty());
}
