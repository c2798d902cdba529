// Test harness for sync: a real county server (embedded SQLCipher store,
// or PostgreSQL when CHZ_SYNC_BACKEND=pg, started by pg_fixture.h) on
// 127.0.0.1 port 0 on a thread, with a switchable fault hook, and fake
// kiosks enrolled through the real client.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "common/testing/temp_dir.h"
#include "sync/client/client.h"
#include "sync/server/county.h"
#include "sync/server/server.h"
#include "sync/server/service.h"
#include "sync/server/upstream.h"
#include "tests/sync/fake_device.h"
#include "tests/sync/pg_fixture.h"

namespace chz::synctest {

// A clock that runs `skew_ms` off the system clock (a kiosk set wrong).
class SkewedClock final : public Clock {
 public:
  explicit SkewedClock(std::int64_t skew_ms = 0) : skew_(skew_ms) {}
  std::int64_t now_ms() const override { return sys_.now_ms() + skew_; }
  std::int64_t steady_ms() const override { return sys_.steady_ms(); }
  std::int64_t skew_ = 0;

 private:
  SystemClock sys_;
};

struct Kiosk {
  std::string id;
  Ed25519KeyPair key;
  Key32 box_secret{};
  std::unique_ptr<FakeDevice> dev;
  sync_client::Credentials cred;
  std::filesystem::path dir;
};

class Harness {
 public:
  // `tune` adjusts the server's options (deadlines, caps) before each start.
  explicit Harness(bool tls = false, std::function<void(server::ServerOptions&)> tune = {});
  ~Harness();

  std::string url() const { return http->url(); }
  // Enrolls a new fake kiosk at `site` ("site-a" and "site-b" exist).
  Kiosk kiosk(const std::string& site, const std::string& id = {});
  void set_fault(std::function<server::FaultAction(const server::HttpRequest&)> f);
  // Starts or restarts the HTTP front (e.g. after a test stopped it).
  void restart_http();
  bool pg() const { return pg_; }
  // Opens a second, independent store on the same database (another
  // "server process" in stateless-handling tests).
  Result<std::unique_ptr<server::ServerStore>> open_another_store();

  testing::TempDir dir{"chz-sync"};
  SystemClock clock;
  server::CountyKeys keys;
  std::unique_ptr<server::ServerStore> store;
  std::unique_ptr<server::Service> svc;
  std::unique_ptr<server::HttpServer> http;

 private:
  bool tls_;
  std::function<void(server::ServerOptions&)> tune_;
  bool pg_ = false;
  std::string location_;
  std::mutex mu_;
  std::function<server::FaultAction(const server::HttpRequest&)> fault_;
};

// True iff the kiosk's outbox equals the server's copy of its records.
bool server_holds_exactly(Harness& h, FakeDevice& d);

// A fault chosen at random from `rng`: one in `spread` requests each is
// dropped before handling, cut after handling (stored, answer lost),
// answered 503, handled twice, or (if `delay_ms`) delayed; the rest pass.
server::FaultAction random_fault(std::mt19937& rng, unsigned spread, int delay_ms = 0);

// Enrolls `county` upward with `city` (init --level city) as county `area`
// named `name`: the city issues a county code, the county enrolls with it
// through the real client (upstream.h).
server::Upstream enroll_upward(Harness& county, Harness& city, const std::string& area,
                               const std::string& name);

}  // namespace chz::synctest
