// Upload throughput into the embedded (SQLCipher) store over loopback, vs
// a raw POST of the same bytes to a trivial handler in the same run; and
// wire bytes per attendance record in a batch of 1,000 vs JSON + zstd.
#include <curl/curl.h>
#include <httplib.h>
#include <zstd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/testing/temp_dir.h"
#include "sync/client/client.h"
#include "sync/protocol/box.h"
#include "sync/protocol/wire.h"
#include "sync/server/county_data.h"
#include "sync/server/server.h"
#include "tests/bench/sync_upload/bench_records.h"

using namespace chz;
using chz::bench::Clk;
using chz::bench::secs;

namespace {
std::size_t sink(char*, std::size_t s, std::size_t n, void*) {
  return s * n;
}

void wire_bytes() {
  for (bool derived : {true, false}) {
    auto recs = bench::attendance("kiosk-3f9a1c2b7d4e", 1000, 1'790'000'000'000, derived);
    double ours = static_cast<double>(sync::encode_batch(recs).size()) / 1000.0;
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& r : recs)
      arr.push_back({{"uuid", r.meta.uuid},
                     {"origin", r.meta.origin_device},
                     {"seq", r.meta.seq},
                     {"hlc", r.meta.hlc.text()},
                     {"wall_ms", r.meta.wall_ms},
                     {"offset_ms", r.meta.offset_ms},
                     {"kind", r.kind},
                     {"body", r.body}});
    std::string js = arr.dump();
    std::string z(ZSTD_compressBound(js.size()), '\0');
    z.resize(ZSTD_compress(z.data(), z.size(), js.data(), js.size(), 3));
    double floor = static_cast<double>(z.size()) / 1000.0;
    bench::report(
        derived ? "sync_wire_bytes_per_attendance" : "sync_wire_bytes_per_attendance_random_uuid",
        fmt::format("{:.1f} B/record", ours), fmt::format("{:.1f} B/record (JSON+zstd)", floor),
        ours / floor, "<= 24 B/record", ours <= 24.0);
  }
}
}  // namespace

int main() {
  wire_bytes();
  spdlog::set_level(spdlog::level::warn);
  testing::TempDir dir("chz-bench-sync");
  SystemClock clock;
  auto keys = server::make_county_keys("示范县", {}, clock.now_ms()).value();
  auto store = server::open_sqlite_store((dir / "county").string()).value();
  if (!store->add_site("site-a", "城关镇农民夜校", "城关镇").ok()) return 1;
  server::Service svc(*store, keys, clock);
  auto srv = server::HttpServer::start(svc, {}).value();
  auto dev = ed25519_generate();
  auto code = server::issue_code(*store, "site-a", 3600'000, clock.now_ms()).value();
  std::string id = "kiosk-bench00000001";
  if (!sync_client::enroll(srv->url(), code, id, dev.pub, sync::x25519_generate().pub).ok())
    return 1;

  const int n = 200'000;
  const std::size_t batch = 5000;
  auto recs = bench::attendance(id, n, clock.now_ms() - 90LL * 24 * 3600 * 1000);
  // The floor: the same bytes POSTed raw to a handler that does nothing.
  std::vector<std::string> bodies;
  auto e0 = Clk::now();
  for (std::size_t i = 0; i < recs.size(); i += batch)
    bodies.push_back(sync::encode_batch(std::vector<sync::Record>(
        recs.begin() + static_cast<long>(i),
        recs.begin() + static_cast<long>(std::min(recs.size(), i + batch)))));
  double encode_s = secs(e0, Clk::now());
  // For the explanation only: the same bytes appended to a file with one
  // fdatasync per batch (what "stored durably before answering" costs at
  // the least), and decoding + hashing them.
  int fd = ::open((dir / "floor.bin").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  httplib::Server trivial;
  trivial.set_tcp_nodelay(true);
  trivial.Post("/sink", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{}", "application/json");
  });
  trivial.Post("/durable", [fd](const httplib::Request& req, httplib::Response& res) {
    bool ok =
        ::write(fd, req.body.data(), req.body.size()) == static_cast<ssize_t>(req.body.size()) &&
        ::fdatasync(fd) == 0;
    res.set_content(ok ? "{}" : "{\"error\":1}", "application/json");
  });
  int tport = trivial.bind_to_any_port("127.0.0.1");
  std::thread tt([&] { trivial.listen_after_bind(); });
  CURL* c = curl_easy_init();
  std::string turl = "http://127.0.0.1:" + std::to_string(tport) + "/sink";
  // The same headers as the client's upload (curl's default form content
  // type would make httplib refuse bodies over 8 KB with a 413).
  curl_slist* h = curl_slist_append(nullptr, "Expect:");
  h = curl_slist_append(h, "Content-Type: application/octet-stream");
  std::string durl = "http://127.0.0.1:" + std::to_string(tport) + "/durable";
  double floor_s = 1e9, durable_s = 1e9;
  int failed = 0;
  for (int rep = 0; rep < 6; ++rep) {
    auto t0 = Clk::now();
    for (const auto& b : bodies) {
      curl_easy_setopt(c, CURLOPT_URL, rep % 2 ? durl.c_str() : turl.c_str());
      curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
      curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, b.data());
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(b.size()));
      curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
      long code = 0;
      CURLcode rc = curl_easy_perform(c);
      if (rc != CURLE_OK || curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK ||
          code != 200) {
        if (failed++ == 0)
          std::fprintf(stderr, "raw POST: %s, HTTP %ld\n", curl_easy_strerror(rc), code);
      }
    }
    double& best = rep % 2 ? durable_s : floor_s;
    best = std::min(best, secs(t0, Clk::now()));
  }
  ::close(fd);
  auto d0 = Clk::now();
  std::size_t decoded = 0;
  for (const auto& b : bodies) {
    auto recs_back = sync::decode_batch(b);
    if (!recs_back.ok()) return 1;
    for (const auto& r : *recs_back) decoded += 1 + (sync::record_hash(r)[0] & 0);
  }
  double decode_s = secs(d0, Clk::now());
  curl_slist_free_all(h);
  curl_easy_cleanup(c);
  trivial.stop();
  tt.join();
  if (failed > 0) {
    std::fprintf(stderr, "raw POST failed %d times\n", failed);
    return 1;
  }

  bench::MemorySource src(id, recs);
  sync_client::ClientOptions o;
  o.batch = batch;
  sync_client::Client client({srv->url(), "", id, dev.secret}, o, clock);
  if (!client.refresh_offset().ok()) return 1;
  sync_client::Progress p;
  auto t0 = Clk::now();
  Status st = client.upload(src, p, {});
  double ours = secs(t0, Clk::now());
  if (!st.ok() || *src.acknowledged() != n) {
    std::fprintf(stderr, "upload failed: %s\n", st.to_string().c_str());
    return 1;
  }
  double rps = n / ours;
  bench::report("sync_upload_records_per_s", fmt::format("{:.0f} rec/s", rps), "100000 rec/s (bar)",
                rps / 100000.0, ">= 1.00", rps >= 100000.0);
  bench::report("sync_upload_vs_raw_post", fmt::format("{:.3f} s", ours),
                fmt::format("{:.3f} s raw POST", floor_s), ours / floor_s, "<= 2.00",
                ours / floor_s <= 2.0);
  // Why the ratio is what it is: the raw POST sends bytes encoded before the
  // clock starts and stores nothing; an upload encodes on the kiosk, and the
  // server decodes and hashes every record and commits each batch durably.
  std::fprintf(
      stderr,
      "NOTE sync_upload_vs_raw_post: %zu batches of %zu; raw POST %.3f s; the same bytes "
      "POSTed and fdatasync'ed per batch %.3f s (%.0fx raw); encoding them on the "
      "client %.3f s; decoding + hashing their %zu records on the server %.3f s; upload %.3f s "
      "(%.1fx the durable floor)\n"
      "NOTE sync_upload_vs_raw_post: the <= 2x bar is out of reach by construction: encoding "
      "plus one fdatasync per batch, which any upload that answers only once its batch is "
      "durable must do, already take %.0fx the raw POST\n",
      bodies.size(), batch, floor_s, durable_s, durable_s / floor_s, encode_s, decoded, decode_s,
      ours, ours / durable_s, (encode_s + durable_s) / floor_s);
  srv->stop();
  return 0;
}
