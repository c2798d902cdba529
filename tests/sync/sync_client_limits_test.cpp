// The client's side of unbounded memory: an answer larger than the client's
// cap stops the transfer and is refused ("sync.too_large"), never buffered
// whole and never retried. Enrollment, which talks to whatever URL a person
// typed before any certificate is pinned, has a small cap of its own.
#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "common/testing/sanitizer.h"
#include "sync/protocol/box.h"
#include "tests/sync/harness.h"

using namespace chz;
using namespace chz::synctest;

namespace {
// Peak resident memory of this process so far (VmHWM), in bytes.
std::size_t peak_rss() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoul(line.substr(6)) * 1024;
  return 0;
}
}  // namespace

TEST_CASE("client limits: an enrollment answer over 1 MiB is refused, not buffered") {
  httplib::Server hostile;
  std::atomic<std::size_t> sent{0};
  hostile.Post("/api/v1/enroll", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/json", [&](std::size_t, httplib::DataSink& sink) {
      static const std::string chunk(64 << 10, 'x');
      if (sent >= (256u << 20)) {  // 256 MiB at most, then stop
        sink.done();
        return true;
      }
      sent += chunk.size();
      return sink.write(chunk.data(), chunk.size());
    });
  });
  int port = hostile.bind_to_any_port("127.0.0.1");
  REQUIRE(port > 0);
  std::thread t([&] { hostile.listen_after_bind(); });
  std::size_t before = peak_rss();
  auto kp = ed25519_generate();
  auto box = sync::x25519_generate();
  auto e = sync_client::enroll("http://127.0.0.1:" + std::to_string(port), "12345678", "kiosk-test",
                               kp.pub, box.pub, 20000);
  hostile.stop();
  t.join();
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().code() == Code::kTooLarge);
  CHECK(e.status().key() == "sync.too_large");
  CHECK(sent < (32u << 20));  // the client hung up long before the server's 256 MiB
  if (testing::kAddressSanitizer)
    MESSAGE("SKIP the RSS bound under AddressSanitizer (its quarantine keeps freed memory)");
  else
    CHECK(peak_rss() - before < (16u << 20));
  MESSAGE("hostile server sent " << sent / 1024 << " KiB before the client stopped");
}

TEST_CASE("client limits: a feed page over max_response_bytes stops the pass, asked once") {
  Harness h;
  auto a = h.kiosk("site-a");
  auto b = h.kiosk("site-a");
  REQUIRE(b.dev->add_attendance(3000, h.clock.now_ms()).ok());
  sync_client::Client cb(b.cred, {}, h.clock);
  REQUIRE(cb.sync_once(*b.dev, *b.dev).ok());  // a's feed now holds b's 3,000 facts
  std::atomic<int> feeds{0};
  h.set_fault([&](const server::HttpRequest& r) {
    if (r.path == "/api/v1/feed") ++feeds;
    return server::FaultAction{};
  });
  sync_client::ClientOptions o;
  o.max_response_bytes = 4096;
  sync_client::Client ca(a.cred, o, h.clock);
  Status st = ca.sync_once(*a.dev, *a.dev);
  CHECK(st.code() == Code::kTooLarge);
  CHECK(st.key() == "sync.too_large");
  CHECK(feeds == 1);  // not retried: the same answer would come again
  CHECK(a.dev->applied()->empty());
  // With the default cap the same pass goes through.
  sync_client::Client ok(a.cred, {}, h.clock);
  REQUIRE(ok.sync_once(*a.dev, *a.dev).ok());
  CHECK(a.dev->applied()->size() >= 3000);
}
