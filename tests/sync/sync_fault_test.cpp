// Faults between kiosk and county: dropped connections before handling and
// mid-response, duplicate deliveries, delays past the client's timeout, and
// 500s. After each: nothing lost, nothing duplicated, both ends equal. Each
// case also checks that its fault really fired (the hook returned it) and,
// where the fault costs the client its answer, that the client sent the same
// upload again: if a path or a fault point moves, the case fails instead of
// passing on a clean run.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <set>

#include "tests/sync/harness.h"

using namespace chz;
using namespace chz::synctest;
using server::FaultAction;
using server::HttpRequest;

namespace {
sync_client::ClientOptions fast() {
  sync_client::ClientOptions o;
  o.batch = 250;
  o.feed_page = 100;
  o.backoff_base_ms = 2;
  o.backoff_max_ms = 20;
  o.max_attempts = 40;
  o.timeout_ms = 3000;
  return o;
}

bool is(const HttpRequest& r, std::string_view path) {
  return r.path == path;
}

// What the fault hook saw while `a` synced.
struct Seen {
  int fired = 0;   // requests the hook returned a fault for
  int resent = 0;  // uploads whose body the server had been sent before
};

// Runs the scenario: `b` uploaded 500 records cleanly; then `a` syncs 3000
// records and downloads b's under `fault`, retrying passes until one succeeds.
Seen scenario(std::function<FaultAction(const HttpRequest&)> fault,
              sync_client::ClientOptions o = fast()) {
  Harness h;
  auto a = h.kiosk("site-a");
  auto b = h.kiosk("site-a");
  REQUIRE(b.dev->add_attendance(500, h.clock.now_ms()).ok());
  REQUIRE(sync_client::Client(b.cred, fast(), h.clock).sync_once(*b.dev, *b.dev).ok());
  REQUIRE(a.dev->add_attendance(3000, h.clock.now_ms()).ok());
  auto seen = std::make_shared<Seen>();
  auto mu = std::make_shared<std::mutex>();
  auto bodies = std::make_shared<std::set<std::string>>();
  h.set_fault([fault = std::move(fault), seen, mu, bodies](const HttpRequest& r) {
    FaultAction f = fault(r);
    std::lock_guard g(*mu);
    if (f.delay_ms > 0 || f.status_before > 0 || f.drop_before || f.drop_after || f.duplicate)
      ++seen->fired;
    if (is(r, "/api/v1/upload") && !bodies->insert(r.body).second) ++seen->resent;
    return f;
  });
  Status st;
  for (int pass = 0; pass < 10; ++pass) {
    sync_client::Client c(a.cred, o, h.clock);
    st = c.sync_once(*a.dev, *a.dev);
    if (st.ok()) break;
  }
  REQUIRE_MESSAGE(st.ok(), st.to_string());
  h.set_fault({});
  CHECK(server_holds_exactly(h, *a.dev));
  CHECK(*a.dev->acknowledged() == 3000);
  CHECK(*a.dev->applied() == *b.dev->outbox());
  CHECK(h.store->faults()->empty());
  std::lock_guard g(*mu);
  return *seen;
}
}  // namespace

TEST_CASE("fault: connections dropped before the server handles the request") {
  std::atomic<int> n{0};
  Seen s = scenario([&n](const HttpRequest& r) {
    FaultAction f;
    if (!is(r, "/api/v1/time") && ++n % 3 == 0) f.drop_before = true;
    return f;
  });
  CHECK(s.fired >= 3);
  CHECK(s.resent >= 1);  // a dropped upload was sent again
}

TEST_CASE("fault: connections dropped mid-response after the server stored the batch") {
  std::atomic<int> n{0};
  Seen s = scenario([&n](const HttpRequest& r) {
    FaultAction f;
    if ((is(r, "/api/v1/upload") || is(r, "/api/v1/feed")) && ++n % 2 == 0) f.drop_after = true;
    return f;
  });
  CHECK(s.fired >= 3);
  CHECK(s.resent >= 1);  // stored, answer cut: the client sent the batch again
}

TEST_CASE("fault: every request delivered twice") {
  Seen s = scenario([](const HttpRequest& r) {
    FaultAction f;
    f.duplicate = !is(r, "/api/v1/time");
    return f;
  });
  CHECK(s.fired >= 12);  // at least the 12 uploads of 3000 records in batches of 250
  CHECK(s.resent == 0);  // every answer arrived: nothing was sent twice by the client
}

TEST_CASE("fault: delays beyond the client's timeout (the late request still lands)") {
  std::atomic<int> n{0};
  auto o = fast();
  o.timeout_ms = 300;
  Seen s = scenario(
      [&n](const HttpRequest& r) {
        FaultAction f;
        if (is(r, "/api/v1/upload") && ++n % 4 == 1) f.delay_ms = 600;
        return f;
      },
      o);
  CHECK(s.fired >= 3);
  CHECK(s.resent >= 1);  // the client gave up waiting and sent the batch again
}

TEST_CASE("fault: 500s on a third of requests") {
  std::atomic<int> n{0};
  Seen s = scenario([&n](const HttpRequest&) {
    FaultAction f;
    if (++n % 3 == 0) f.status_before = 500;
    return f;
  });
  CHECK(s.fired >= 3);
  CHECK(s.resent >= 1);  // an upload answered 500 was sent again
}

TEST_CASE("fault: everything at once, at random") {
  auto rng = std::make_shared<std::mt19937>(20261123);
  auto mu = std::make_shared<std::mutex>();
  Seen s = scenario([rng, mu](const HttpRequest&) {
    std::lock_guard g(*mu);
    return random_fault(*rng, 8, 20);
  });
  CHECK(s.fired >= 5);
  CHECK(s.resent >= 1);
}
