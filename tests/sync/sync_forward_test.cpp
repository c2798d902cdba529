// The roll-up (sync/server/upstream.h): a county forwards its kiosks'
// batches, with the proofs it kept, and its own records to a city server,
// both real servers on loopback (the city on PostgreSQL in the _pg run).
#include <doctest/doctest.h>

#include <memory>
#include <mutex>
#include <random>

#include "sync/client/usb.h"
#include "sync/protocol/wire.h"
#include "sync/server/county_data.h"
#include "sync/server/upstream.h"
#include "tests/sync/harness.h"

using namespace chz;
using namespace chz::synctest;

namespace {
constexpr std::int64_t kHour = 3'600'000;

void sync_pass(Harness& h, Kiosk& k) {
  auto st = sync_client::Client(k.cred, {}, h.clock).sync_once(*k.dev, *k.dev);
  REQUIRE_MESSAGE(st.ok(), st.to_string());
}

// `n` sessions the county writes itself (its own records).
void add_sessions(Harness& county, int n) {
  std::vector<server::CountyWrite> w;
  for (int i = 0; i < n; ++i)
    w.push_back({"site-a", "session",
                 R"({"class":"c1","date":"2026-12-01","end":"11:00","entity":"session:s)" +
                     std::to_string(i) + R"(","kind":"theory","start":"09:00"})"});
  REQUIRE(county.store->append_county(w, county.clock.now_ms()).ok());
}

sync_client::Client::Reply post_as(const server::Upstream& up, Harness& city,
                                   const std::string& path, const std::string& body) {
  sync_client::Client c({up.url, up.ca_pem, up.identity, up.secret}, {}, city.clock);
  return c.request("POST", path, body);
}
}  // namespace

TEST_CASE("forward: a county's kiosk batches and own records reach the city exactly once") {
  Harness county, city;
  auto up = enroll_upward(county, city, "140521", "沁水县");
  auto a = county.kiosk("site-a");
  auto b = county.kiosk("site-b");
  REQUIRE(a.dev->add_attendance(2500, county.clock.now_ms()).ok());  // three uploads
  sync_pass(county, a);
  REQUIRE(b.dev->add_attendance(40, county.clock.now_ms()).ok());
  // b's records come by USB: the proof kept is the bundle and its own key.
  auto ex =
      sync_client::export_usb(*b.dev, b.key.secret, county.keys.bundle_pub, county.clock.now_ms());
  REQUIRE(county.svc->import_device_bundle(ex->bytes).ok());

  auto proofs_a = county.store->proofs(a.id, 0, 100);
  REQUIRE(proofs_a.ok());
  CHECK(proofs_a->size() == 3);
  CHECK(proofs_a->front().proof.kind == "request");
  CHECK(proofs_a->back().last_seq == 2500);
  auto proofs_b = county.store->proofs(b.id, 0, 100);
  REQUIRE(proofs_b->size() == 1);
  CHECK(proofs_b->front().proof.kind == "bundle");

  auto rep = server::forward_once(*county.store, up, county.clock);
  REQUIRE_MESSAGE(rep.ok(), rep.status().to_string());
  CHECK(rep->batches == 4);
  CHECK(rep->device_records == 2540);
  CHECK(rep->unproven.empty());
  CHECK(*city.store->records_of(a.id) == *county.store->records_of(a.id));
  CHECK(*city.store->records_of(b.id) == *county.store->records_of(b.id));
  // Kept under the county's area at the city, with the site's name.
  CHECK(city.store->device(a.id)->site == "140521/site-a");
  CHECK(*city.store->site_name("140521/site-b") == "东岭乡村级服务站");
  // The city keeps the proofs too: a province can check them again.
  CHECK(city.store->proofs(a.id, 0, 100)->size() == 3);

  // Again: nothing to send. New records: only those.
  auto again = server::forward_once(*county.store, up, county.clock);
  CHECK(again->batches == 0);
  CHECK(again->device_records == 0);
  REQUIRE(a.dev->add_attendance(7, county.clock.now_ms()).ok());
  sync_pass(county, a);
  auto more = server::forward_once(*county.store, up, county.clock);
  CHECK(more->batches == 1);
  CHECK(more->device_records == 7);
  CHECK(city.store->records_of(a.id)->size() == 2507);
}

TEST_CASE("forward: the county's own records arrive as county-<area>, counted by the city") {
  Harness county, city;
  auto up = enroll_upward(county, city, "140521", "沁水县");
  add_sessions(county, 1200);
  auto rep = server::forward_once(*county.store, up, county.clock);
  REQUIRE_MESSAGE(rep.ok(), rep.status().to_string());
  CHECK(rep->county_records == 1200);
  auto held = city.store->records_of("county-140521");
  REQUIRE(held->size() == 1200);
  auto own = county.store->records_of("county");
  CHECK(held->back().meta.uuid == own->back().meta.uuid);
  CHECK(held->back().body == own->back().body);
  CHECK(server::forward_once(*county.store, up, county.clock)->county_records == 0);
  // A pass reads the county's records from the city's cursor on, not all of them.
  auto tail = county.store->records_of("county", 1000);
  REQUIRE(tail.ok());
  REQUIRE(tail->size() == own->size() - 1000);
  CHECK(tail->front().meta.seq == 1001);
  CHECK(county.store->records_of("county", own->back().meta.seq)->empty());
}

TEST_CASE("forward: a tampered batch is refused by the kiosk's own signature, nothing stored") {
  Harness county, city;
  auto up = enroll_upward(county, city, "140521", "沁水县");
  auto a = county.kiosk("site-a");
  REQUIRE(a.dev->add_attendance(30, county.clock.now_ms()).ok());
  sync_pass(county, a);
  auto p = county.store->proofs(a.id, 0, 10)->front().proof;
  server::ForwardedBatch fb{*county.store->device(a.id), "城关镇农民夜校", "城关镇", p};

  // One record's body changed inside the batch (re-encoded, so it decodes).
  auto recs = *sync::decode_batch(p.body);
  recs[3].body = R"({"at_ms":1,"by":"t1","event":"in","person":"p-forged","session":"s1"})";
  server::ForwardedBatch forged = fb;
  forged.proof.body = sync::encode_batch(recs);
  auto r1 = post_as(up, city, std::string(server::kForward), server::encode_forward(forged));
  CHECK(r1.status == 401);
  CHECK(r1.body.find("bad_signature") != std::string::npos);

  // The county's key in place of the kiosk's: the city holds no such key.
  server::ForwardedBatch rekeyed = fb;
  auto k2 = ed25519_generate();
  rekeyed.device.pub = k2.pub;
  auto a2 = sync::sign_request(k2.secret, a.id, "POST", "/api/v1/upload", county.clock.now_ms(), 1,
                               forged.proof.body);
  rekeyed.proof = sync::request_proof(*a2, "POST", "/api/v1/upload", forged.proof.body);
  // First contact registers the key it comes with; so forward the real one first.
  REQUIRE(server::forward_once(*county.store, up, county.clock).ok());
  auto r2 = post_as(up, city, std::string(server::kForward), server::encode_forward(rekeyed));
  CHECK(r2.status == 409);
  CHECK(*city.store->records_of(a.id) == *county.store->records_of(a.id));
}

TEST_CASE("forward: a county cannot forward another county's kiosk, nor a kiosk forward at all") {
  Harness county, other, city;
  auto up = enroll_upward(county, city, "140521", "沁水县");
  auto up2 = enroll_upward(other, city, "140522", "阳城县");
  auto a = county.kiosk("site-a");
  REQUIRE(a.dev->add_attendance(10, county.clock.now_ms()).ok());
  sync_pass(county, a);
  REQUIRE(server::forward_once(*county.store, up, county.clock).ok());
  // 阳城 replays 沁水's genuine, kiosk-signed batch as its own.
  auto p = county.store->proofs(a.id, 0, 10)->front().proof;
  server::ForwardedBatch fb{*county.store->device(a.id), "x", "x", p};
  auto r = post_as(up2, city, std::string(server::kForward), server::encode_forward(fb));
  CHECK(r.status == 403);
  CHECK(r.body.find("foreign_record") != std::string::npos);
  CHECK(city.store->device(a.id)->site == "140521/site-a");

  // A kiosk enrolled at the city may not forward.
  auto k = city.kiosk("site-a");
  auto rk = sync_client::Client(k.cred, {}, city.clock)
                .request("GET", std::string(server::kForwardCursors), "");
  CHECK(rk.status == 403);
  // And a county's code is for that county's identity only.
  REQUIRE(city.store->add_site(server::county_site("140524"), "陵川县", "").ok());
  auto code =
      server::issue_code(*city.store, server::county_site("140524"), kHour, city.clock.now_ms());
  auto id = ed25519_generate();
  auto e = sync_client::enroll(city.url(), *code, "kiosk-0123456789ab", id.pub, id.pub);
  CHECK(e.status().key() == "sync.malformed");
}

TEST_CASE(
    "forward: by USB stick, the city takes a county's bundle once; altered or forged is refused") {
  Harness county, city;
  auto up = enroll_upward(county, city, "140521", "沁水县");
  auto a = county.kiosk("site-a");
  REQUIRE(a.dev->add_attendance(1500, county.clock.now_ms()).ok());
  sync_pass(county, a);
  add_sessions(county, 30);
  const auto own = county.store->records_of("county")->size();

  // No network: everything since the last pass that got through (none yet).
  auto u = server::forward_bundle(*county.store, up, {}, county.clock.now_ms());
  REQUIRE_MESSAGE(u.ok(), u.status().to_string());
  CHECK(u->report.device_records == 1500);
  CHECK(u->report.county_records == static_cast<std::int64_t>(own));
  // Altered on the stick, or sealed by someone else under the county's name: refused, nothing kept.
  std::string altered = u->file;
  altered[altered.size() - 40] ^= 1;
  CHECK(city.svc->import_forward_bundle(altered).status().key() == "sync.tampered");
  auto impostor = ed25519_generate();
  server::Upstream forged = up;
  forged.secret = impostor.secret;
  auto fake = server::forward_bundle(*county.store, forged, {}, county.clock.now_ms());
  REQUIRE(fake.ok());
  CHECK_FALSE(city.svc->import_forward_bundle(fake->file).ok());
  CHECK(city.store->records_of(a.id)->empty());
  CHECK(city.store->records_of("county-140521")->empty());

  auto imp = city.svc->import_forward_bundle(u->file);
  REQUIRE_MESSAGE(imp.ok(), imp.status().to_string());
  CHECK(imp->device_records == 1500);
  CHECK(imp->county_records == static_cast<std::int64_t>(own));
  CHECK(*city.store->records_of(a.id) == *county.store->records_of(a.id));
  CHECK(city.store->records_of("county-140521")->size() == own);
  const auto proofs = city.store->proofs(a.id, 0, 100)->size();
  CHECK(proofs == county.store->proofs(a.id, 0, 100)->size());

  // The same stick again: nothing new, no proof kept twice.
  auto again = city.svc->import_forward_bundle(u->file);
  REQUIRE(again.ok());
  CHECK(again->device_records == 0);
  CHECK(again->county_records == 0);
  CHECK(city.store->proofs(a.id, 0, 100)->size() == proofs);

  // The next stick starts where this one ended: only what is new.
  REQUIRE(a.dev->add_attendance(5, county.clock.now_ms()).ok());
  sync_pass(county, a);
  auto u2 = server::forward_bundle(*county.store, up, u->report.acked, county.clock.now_ms());
  REQUIRE(u2.ok());
  CHECK(u2->report.batches == 1);
  CHECK(u2->report.device_records == 5);
  CHECK(u2->report.county_records == 0);
  REQUIRE(city.svc->import_forward_bundle(u2->file).ok());
  CHECK(*city.store->records_of(a.id) == *county.store->records_of(a.id));
  // And an online pass after the sticks has nothing left to send.
  CHECK(server::forward_once(*county.store, up, county.clock)->batches == 0);

  // A payload cut short, with bytes after its frames, or with an unknown frame is refused whole.
  std::string payload = std::string(server::kForwardPayloadMagic) + '\x01' +
                        std::string("\0\0\0\1", 4) + std::string("\0\0\0\4", 4) + "CHZB";
  CHECK(server::split_forward_payload(payload).ok());
  CHECK(server::split_forward_payload(payload.substr(0, payload.size() - 1)).status().key() ==
        "sync.malformed");
  CHECK(server::split_forward_payload(payload + "x").status().key() == "sync.malformed");
  std::string unknown = payload;
  unknown.replace(unknown.size() - 4, 4, "XXXX");
  CHECK(server::split_forward_payload(unknown).status().key() == "sync.malformed");
  // A kiosk's own device bundle is not a forward bundle.
  auto ex =
      sync_client::export_usb(*a.dev, a.key.secret, county.keys.bundle_pub, county.clock.now_ms());
  CHECK(city.svc->import_forward_bundle(ex->bytes).status().key() == "sync.malformed");
}

TEST_CASE(
    "forward: requests dropped, cut, failed and delivered twice at the city, at random: "
    "every batch and proof once") {
  Harness county, city;
  auto up = enroll_upward(county, city, "140521", "沁水县");
  auto a = county.kiosk("site-a");
  auto b = county.kiosk("site-b");
  for (int i = 0; i < 6; ++i) {  // six uploads each: twelve batches to forward
    REQUIRE(a.dev->add_attendance(400, county.clock.now_ms()).ok());
    sync_pass(county, a);
    REQUIRE(b.dev->add_attendance(300, county.clock.now_ms()).ok());
    sync_pass(county, b);
  }
  add_sessions(county, 2500);  // three county batches
  auto rng = std::make_shared<std::mt19937>(20261203);
  auto mu = std::make_shared<std::mutex>();
  auto fired = std::make_shared<int>(0);
  city.set_fault([rng, mu, fired](const server::HttpRequest& r) {
    server::FaultAction f;
    if (r.path.rfind("/api/v1/forward", 0) != 0 && r.path != "/api/v1/upload") return f;
    std::lock_guard g(*mu);
    f = random_fault(*rng, 6);  // drops, cuts, 503s, duplicates: four in six
    if (!f.drop_before && !f.drop_after && !f.status_before && !f.duplicate) return f;
    ++*fired;
    return f;
  });
  sync_client::ClientOptions o;
  o.max_attempts = 4;
  o.backoff_base_ms = 2;
  o.backoff_max_ms = 20;
  Result<server::ForwardReport> rep = Status(Code::kInternal, "not run");
  int passes = 0;
  while (passes < 30) {  // a pass that gives up is resumed by the next, as serve does
    ++passes;
    rep = server::forward_once(*county.store, up, county.clock, o);
    if (rep.ok() && rep->batches == 0 && rep->county_records == 0) break;
  }
  city.set_fault({});
  REQUIRE_MESSAGE(rep.ok(), rep.status().to_string());
  CHECK(*fired >= 5);
  CHECK(*city.store->records_of(a.id) == *county.store->records_of(a.id));
  CHECK(*city.store->records_of(b.id) == *county.store->records_of(b.id));
  CHECK(city.store->records_of("county-140521")->size() ==
        county.store->records_of("county")->size());
  CHECK(city.store->proofs(a.id, 0, 100)->size() == county.store->proofs(a.id, 0, 100)->size());
  CHECK(city.store->proofs(b.id, 0, 100)->size() == county.store->proofs(b.id, 0, 100)->size());
  CHECK(city.store->faults()->empty());
}
