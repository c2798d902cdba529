// The HTTP front under many idle and slow connections: health and a kiosk's
// sync are still answered; slow senders are cut by total deadlines; the
// per-address cap closes the connection over it and lets others in.
#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "tests/sync/harness.h"
#include "tests/sync/raw_http.h"

using namespace chz;
using namespace chz::synctest;

namespace {
int health(Harness& h, bool tls) {
  auto get = [](auto& c) {
    c.set_connection_timeout(5);
    c.set_read_timeout(5);
    auto r = c.Get("/api/v1/health");
    return r ? r->status : 0;
  };
  if (tls) {
    httplib::SSLClient c("127.0.0.1", h.http->port());
    c.enable_server_certificate_verification(false);
    return get(c);
  }
  httplib::Client c("127.0.0.1", h.http->port());
  return get(c);
}

// Sends one byte of a request header a second on each fd until stopped.
class SlowSenders {
 public:
  SlowSenders(int port, int n) {
    for (int i = 0; i < n; ++i) {
      int fd = connect_from("127.0.0." + std::to_string(2 + i % 49), port);
      if (fd >= 0) fds_.fds.push_back(fd);
    }
    thread_ = std::thread([this] {
      static const std::string req = "GET /api/v1/health HTTP/1.1\r\nHost: county\r\nX-Pad: ";
      for (std::size_t i = 0; !stop_; ++i) {
        for (int fd : fds_.fds) send_all(fd, std::string_view(&req[i % req.size()], 1));
        for (int k = 0; k < 10 && !stop_; ++k)
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  ~SlowSenders() {
    stop_ = true;
    thread_.join();
  }
  std::size_t size() const { return fds_.fds.size(); }

 private:
  FdSet fds_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

void under_load(bool tls) {
  raise_nofile_limit();
  Harness h(tls);
  auto k = h.kiosk("site-a");
  REQUIRE(k.dev->add_attendance(200, h.clock.now_ms()).ok());
  FdSet idle{open_idle(h.http->port(), 1000)};
  REQUIRE(idle.fds.size() == 1000);
  SlowSenders slow(h.http->port(), 50);
  REQUIRE(slow.size() == 50);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // all accepted by now
  CHECK(health(h, tls) == 200);
  sync_client::ClientOptions o;
  o.timeout_ms = 5000;
  o.max_attempts = 2;
  auto st = sync_client::Client(k.cred, o, h.clock).sync_once(*k.dev, *k.dev);
  CHECK_MESSAGE(st.ok(), st.to_string());
  CHECK(server_holds_exactly(h, *k.dev));
  CHECK(health(h, tls) == 200);
}

// Sends `data` a byte every 100 ms; true iff the server closes within `ms`.
bool cut_while_trickling(int fd, std::string_view data, int ms) {
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  for (std::size_t i = 0; std::chrono::steady_clock::now() < end; ++i) {
    if (!send_all(fd, data.substr(i % data.size(), 1))) return true;
    if (closed_within(fd, 100)) return true;
  }
  return false;
}
}  // namespace

TEST_CASE("connections: 1,000 idle and 50 slow connections do not stop health or a sync (HTTP)") {
  under_load(false);
}

TEST_CASE("connections: 1,000 idle and 50 slow connections do not stop health or a sync (HTTPS)") {
  under_load(true);
}

TEST_CASE("connections: plain HTTP sent to the TLS port is closed at once, health still answered") {
  Harness h(/*tls=*/true);
  FdSet plain;
  for (int i = 0; i < 20; ++i) {
    int fd = connect_from("127.0.0.3", h.http->port());
    REQUIRE(fd >= 0);
    plain.fds.push_back(fd);
    REQUIRE(send_all(fd, "GET /api/v1/health HTTP/1.1\r\nHost: county\r\n\r\n"));
  }
  for (int fd : plain.fds) CHECK(closed_within(fd, 1000));
  CHECK(health(h, true) == 200);
}

TEST_CASE("connections: TLS sent to the plain port is refused and closed at once") {
  Harness h;
  int fd = connect_from("127.0.0.3", h.http->port());
  REQUIRE(fd >= 0);
  FdSet one{{fd}};
  // The first bytes of a TLS ClientHello.
  REQUIRE(send_all(fd, std::string_view("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)));
  CHECK(closed_within(fd, 1000));
  CHECK(health(h, false) == 200);
}

TEST_CASE("connections: connection N+1 from one address is closed at once, another gets in") {
  Harness h(false, [](server::ServerOptions& o) { o.max_per_address = 5; });
  FdSet held;
  for (int i = 0; i < 5; ++i) held.fds.push_back(connect_from("127.0.0.9", h.http->port()));
  for (int fd : held.fds) REQUIRE(fd >= 0);
  int extra = connect_from("127.0.0.9", h.http->port());
  REQUIRE(extra >= 0);
  FdSet over{{extra}};
  CHECK(closed_within(extra, 1000));
  for (int fd : held.fds) CHECK_FALSE(closed_within(fd, 50));
  auto r = exchange(h.http->port(), "GET /api/v1/health HTTP/1.1\r\nHost: county\r\n\r\n", 3000,
                    "127.0.0.10");
  CHECK(r.status == 200);
  CHECK(health(h, false) == 200);
}

TEST_CASE("deadlines: a header sent a byte at a time is cut by the header deadline") {
  Harness h(false, [](server::ServerOptions& o) { o.header_timeout_ms = 1000; });
  int fd = connect_from("127.0.0.4", h.http->port());
  REQUIRE(fd >= 0);
  FdSet one{{fd}};
  auto t0 = std::chrono::steady_clock::now();
  // Never ends: the header grows a byte every 100 ms (under its size limit).
  CHECK(
      cut_while_trickling(fd, "GET /api/v1/health HTTP/1.1\r\nX-Pad: aaaaaaaaaaaaaaaaaaaa", 4000));
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(3500));
}

TEST_CASE("deadlines: a body sent a byte at a time is cut by the body deadline") {
  Harness h(false, [](server::ServerOptions& o) { o.body_timeout_ms = 1000; });
  int fd = connect_from("127.0.0.4", h.http->port());
  REQUIRE(fd >= 0);
  FdSet one{{fd}};
  REQUIRE(send_all(fd,
                   "POST /api/v1/enroll HTTP/1.1\r\nHost: county\r\nContent-Type: "
                   "application/json\r\nContent-Length: 4000\r\n\r\n"));
  auto t0 = std::chrono::steady_clock::now();
  CHECK(cut_while_trickling(fd, "{\"code_id\":\"0000\",", 4000));
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(2500));
}
