#include "tests/sync/harness.h"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>

#include "common/fs.h"
#include "sync/protocol/box.h"
#include "sync/server/county_data.h"

namespace chz::synctest {

Harness::Harness(bool tls, std::function<void(server::ServerOptions&)> tune)
    : tls_(tls), tune_(std::move(tune)) {
  keys = server::make_county_keys("示范县人社局", {"127.0.0.1"}, clock.now_ms()).value();
  const char* be = std::getenv("CHZ_SYNC_BACKEND");
  if (be && std::string(be) == "pg") {
    auto f = PgFixture::shared();
    REQUIRE_MESSAGE(f.ok(), f.status().to_string());
    auto db = (*f)->new_database();
    REQUIRE_MESSAGE(db.ok(), db.status().to_string());
    pg_ = true;
    location_ = *db;
    auto s = server::open_pg_store(*db);
    REQUIRE_MESSAGE(s.ok(), s.status().to_string());
    store = std::move(*s);
  } else {
    location_ = (dir / "county").string();
    auto s = server::open_sqlite_store(location_);
    REQUIRE_MESSAGE(s.ok(), s.status().to_string());
    store = std::move(*s);
  }
  REQUIRE(store->add_site("site-a", "城关镇农民夜校", "城关镇").ok());
  REQUIRE(store->add_site("site-b", "东岭乡村级服务站", "东岭乡").ok());
  svc = std::make_unique<server::Service>(*store, keys, clock);
  if (tls_) {
    REQUIRE(write_file_atomic(dir / "cert.pem", keys.cert_pem).ok());
    REQUIRE(write_file_atomic(dir / "key.pem", keys.cert_key_pem).ok());
  }
  restart_http();
}

Harness::~Harness() {
  if (http) http->stop();
  http.reset();
  svc.reset();
  store.reset();
}

Result<std::unique_ptr<server::ServerStore>> Harness::open_another_store() {
  return pg_ ? server::open_pg_store(location_) : server::open_sqlite_store(location_);
}

void Harness::restart_http() {
  if (http) http->stop();
  server::ServerOptions o;
  o.threads = 4;
  if (tls_) {
    o.cert_file = (dir / "cert.pem").string();
    o.key_file = (dir / "key.pem").string();
  }
  o.fault = [this](const server::HttpRequest& r) {
    std::lock_guard g(mu_);
    return fault_ ? fault_(r) : server::FaultAction{};
  };
  if (tune_) tune_(o);
  auto s = server::HttpServer::start(*svc, o);
  REQUIRE_MESSAGE(s.ok(), s.status().to_string());
  http = std::move(*s);
}

void Harness::set_fault(std::function<server::FaultAction(const server::HttpRequest&)> f) {
  std::lock_guard g(mu_);
  fault_ = std::move(f);
}

Kiosk Harness::kiosk(const std::string& site, const std::string& id) {
  static std::atomic<int> n{0};
  Kiosk k;
  k.id = id.empty() ? "kiosk-test" + std::to_string(++n) + hex(random_key32()).substr(0, 6) : id;
  k.key = ed25519_generate();
  auto box = sync::x25519_generate();
  k.box_secret = box.secret;
  auto code = server::issue_code(*store, site, 3600'000, clock.now_ms());
  REQUIRE(code.ok());
  auto e = sync_client::enroll(url(), *code, k.id, k.key.pub, box.pub);
  REQUIRE_MESSAGE(e.ok(), e.status().to_string());
  CHECK(e->response.site_id == site);
  CHECK(e->person_key == keys.person_key);
  k.dir = dir / k.id;
  auto d = FakeDevice::open(k.dir, k.id);
  REQUIRE(d.ok());
  k.dev = std::move(*d);
  k.cred = {url(), tls_ ? e->response.ca_pem : std::string(), k.id, k.key.secret};
  return k;
}

bool server_holds_exactly(Harness& h, FakeDevice& d) {
  auto mine = d.outbox();
  auto theirs = h.store->records_of(d.device_id());
  if (!mine.ok() || !theirs.ok()) return false;
  if (mine->size() != theirs->size()) {
    MESSAGE("kiosk holds " << mine->size() << ", server " << theirs->size());
    return false;
  }
  return *mine == *theirs;
}

server::Upstream enroll_upward(Harness& county, Harness& city, const std::string& area,
                               const std::string& name) {
  county.keys.area_code = area;
  REQUIRE(city.store->add_site(server::county_site(area), name, "").ok());
  auto code =
      server::issue_code(*city.store, server::county_site(area), 3'600'000, city.clock.now_ms());
  REQUIRE(code.ok());
  std::filesystem::create_directories(county.dir / area);
  auto up =
      server::enroll_upstream(county.dir / area, county.keys, city.url(), *code, county.clock);
  REQUIRE_MESSAGE(up.ok(), up.status().to_string());
  CHECK(up->identity == "county-" + area);
  return *up;
}

server::FaultAction random_fault(std::mt19937& rng, unsigned spread, int delay_ms) {
  server::FaultAction f;
  switch (rng() % spread) {
    case 0:
      f.drop_before = true;
      break;
    case 1:
      f.drop_after = true;
      break;
    case 2:
      f.status_before = 503;
      break;
    case 3:
      f.duplicate = true;
      break;
    case 4:
      f.delay_ms = delay_ms;
      break;
    default:
      break;
  }
  return f;
}

}  // namespace chz::synctest
