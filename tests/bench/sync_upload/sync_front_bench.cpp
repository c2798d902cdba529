// The HTTP front under load: health latency from 127.0.0.1 while 1,000 idle
// and 100 slow (a header byte a second) connections are held, against the
// same probes with no load in the same run; and the server's resident
// memory with those connections held.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "common/log.h"
#include "common/testing/temp_dir.h"
#include "sync/server/county.h"
#include "sync/server/server.h"
#include "tests/bench/sync_upload/bench_records.h"
#include "tests/sync/raw_http.h"

using namespace chz;
using namespace chz::synctest;
using Clk = std::chrono::steady_clock;

namespace {
struct Latency {
  double p50 = 0, p95 = 0, max = 0;  // ms
  int failed = 0;
};
Latency probe(int port, int n) {
  std::vector<double> ms;
  Latency l;
  for (int i = 0; i < n; ++i) {
    auto t0 = Clk::now();
    auto r = exchange(port, "GET /api/v1/health HTTP/1.1\r\nHost: county\r\n\r\n", 10000);
    ms.push_back(std::chrono::duration<double, std::milli>(Clk::now() - t0).count());
    if (r.status != 200) ++l.failed;
  }
  std::sort(ms.begin(), ms.end());
  l.p50 = ms[ms.size() / 2];
  l.p95 = ms[ms.size() * 95 / 100];
  l.max = ms.back();
  return l;
}
std::string show(const Latency& l) {
  return fmt::format("p50 {:.2f} ms, p95 {:.2f} ms, max {:.2f} ms", l.p50, l.p95, l.max);
}
}  // namespace

int main() {
  spdlog::set_level(spdlog::level::warn);
  raise_nofile_limit();
  testing::TempDir dir("chz-bench-front");
  SystemClock clock;
  auto keys = server::make_county_keys("示范县", {}, clock.now_ms()).value();
  auto store = server::open_sqlite_store((dir / "county").string()).value();
  server::Service svc(*store, keys, clock);
  server::ServerOptions o;
  o.header_timeout_ms = 120'000;  // hold the load for the whole measure
  auto srv = server::HttpServer::start(svc, o).value();
  int port = srv->port();
  const int probes = 200;

  Latency quiet = probe(port, probes);
  std::size_t rss0 = rss_bytes();
  FdSet idle{open_idle(port, 1000)};
  FdSet slow{open_idle(port, 100)};
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    static const std::string req = "GET /api/v1/health HTTP/1.1\r\nX-Pad: ";
    for (std::size_t i = 0; !stop; ++i) {
      for (int fd : slow.fds) send_all(fd, std::string_view(&req[i % req.size()], 1));
      for (int k = 0; k < 10 && !stop; ++k)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::size_t rss1 = rss_bytes();
  Latency loaded = probe(port, probes);
  stop = true;
  trickle.join();
  std::size_t held = idle.fds.size() + slow.fds.size();
  if (held != 1100 || loaded.failed > 0 || quiet.failed > 0) {
    std::fprintf(stderr, "held %zu connections; %d + %d probes failed\n", held, quiet.failed,
                 loaded.failed);
    return 1;
  }
  bench::report("sync_front_health_under_load", show(loaded), show(quiet),
                loaded.p95 / std::max(quiet.p95, 0.001), "p95 <= 2000 ms", loaded.p95 <= 2000);
  double per_conn_kb = (static_cast<double>(rss1) - static_cast<double>(rss0)) / 1024.0 / held;
  bench::report("sync_front_rss_1100_connections", fmt::format("{:.1f} MiB", rss1 / 1048576.0),
                fmt::format("{:.1f} MiB idle", rss0 / 1048576.0),
                static_cast<double>(rss1) / static_cast<double>(rss0), "<= 16 KiB per connection",
                per_conn_kb <= 16.0);
  std::fprintf(stderr,
               "NOTE sync_front: %zu connections held (1,000 idle + 100 slow) from "
               "127.0.0.2-50; %.1f KiB of server+client RSS per connection; in-process, so "
               "the figure includes the bench's own client side\n",
               held, per_conn_kb);
  srv->stop();
  return 0;
}
