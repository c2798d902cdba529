// 50 concurrent simulated kiosks uploading into PostgreSQL through the real
// server and client, vs a plain COPY (libpq PQputCopyData) of the same rows
// into a table with the same columns and indexes, in the same run.
#include <libpq-fe.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <atomic>

#include <chrono>
#include <cstdio>
#include <thread>

#include "sync/client/client.h"
#include "sync/protocol/box.h"
#include "sync/protocol/wire.h"
#include "sync/server/county_data.h"
#include "sync/server/server.h"
#include "tests/bench/sync_upload/bench_records.h"
#include "tests/sync/pg_fixture.h"

using namespace chz;
using Clk = std::chrono::steady_clock;

namespace {
std::string esc(const std::string& s) {
  std::string o;
  for (char ch : s) {
    if (ch == '\\')
      o += "\\\\";
    else if (ch == '\t')
      o += "\\t";
    else if (ch == '\n')
      o += "\\n";
    else
      o.push_back(ch);
  }
  return o;
}

// COPY of `rows` into a fresh copy of the records table; returns seconds.
double copy_floor(const std::string& url, const std::vector<sync::Record>& rows,
                  const std::string& site_of_row) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) return -1;
  PQclear(PQexec(c, "CREATE TABLE records_copy (LIKE records INCLUDING ALL)"));
  std::string buf;
  for (const auto& r : rows) {
    buf += r.meta.origin_device + "\t" + std::to_string(r.meta.seq) + "\t" + site_of_row + "\t" +
           r.meta.uuid + "\t" + r.kind + "\t" + esc(r.body) + "\t" + r.meta.hlc.text() + "\t" +
           std::to_string(r.meta.wall_ms) + "\t" + std::to_string(r.meta.offset_ms) + "\t" +
           hex(sync::record_hash(r)) + "\t" + std::to_string(r.meta.wall_ms) + "\n";
  }
  auto t0 = Clk::now();
  PQclear(PQexec(c, "BEGIN"));
  PGresult* res = PQexec(
      c,
      "COPY records_copy(origin, seq, site, uuid, kind, body, hlc, wall_ms, offset_ms, hash, "
      "received_ms) FROM STDIN");
  PQclear(res);
  const std::size_t chunk = 1 << 16;
  for (std::size_t i = 0; i < buf.size(); i += chunk)
    PQputCopyData(c, buf.data() + i, static_cast<int>(std::min(chunk, buf.size() - i)));
  PQputCopyEnd(c, nullptr);
  res = PQgetResult(c);
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  PQclear(res);
  PQclear(PQexec(c, "COMMIT"));
  double s = std::chrono::duration<double>(Clk::now() - t0).count();
  PQfinish(c);
  return ok ? s : -1;
}
}  // namespace

int main() {
  spdlog::set_level(spdlog::level::warn);
  auto pg = synctest::PgFixture::start();
  if (!pg.ok()) {
    std::fprintf(stderr, "%s\n", pg.status().to_string().c_str());
    return 1;
  }
  auto url = (*pg)->new_database().value();
  SystemClock clock;
  auto keys = server::make_county_keys("示范县", {}, clock.now_ms()).value();
  auto store = server::open_pg_store(url).value();
  server::Service svc(*store, keys, clock);
  server::ServerOptions so;
  so.threads = 16;
  auto srv = server::HttpServer::start(svc, so).value();

  const int kiosks = 50, per = 4000;
  struct K {
    std::string id;
    Ed25519KeyPair key;
    std::vector<sync::Record> recs;
  };
  std::vector<K> ks;
  std::vector<sync::Record> all;
  for (int i = 0; i < kiosks; ++i) {
    std::string site = fmt::format("site-{:02}", i / 2);
    if (!store->add_site(site, site, "城关镇").ok()) return 1;
    K k{fmt::format("kiosk-pgbench{:04}", i), ed25519_generate(), {}};
    auto code = server::issue_code(*store, site, 3600'000, clock.now_ms()).value();
    if (!sync_client::enroll(srv->url(), code, k.id, k.key.pub, sync::x25519_generate().pub).ok())
      return 1;
    k.recs = bench::attendance(k.id, per, clock.now_ms() - 30LL * 24 * 3600 * 1000);
    all.insert(all.end(), k.recs.begin(), k.recs.end());
    ks.push_back(std::move(k));
  }
  std::atomic<int> failed{0};
  auto t0 = Clk::now();
  std::vector<std::thread> th;
  for (auto& k : ks)
    th.emplace_back([&] {
      bench::MemorySource src(k.id, k.recs);
      sync_client::ClientOptions o;
      o.batch = 1000;
      sync_client::Client c({srv->url(), "", k.id, k.key.secret}, o, clock);
      sync_client::Progress p;
      if (!c.refresh_offset().ok() || !c.upload(src, p, {}).ok() || *src.acknowledged() != per)
        ++failed;
    });
  for (auto& t : th) t.join();
  double ours = std::chrono::duration<double>(Clk::now() - t0).count();
  if (failed) {
    std::fprintf(stderr, "%d kiosks failed\n", failed.load());
    return 1;
  }
  double floor = copy_floor(url, all, "site-00");
  if (floor <= 0) return 1;
  double total = static_cast<double>(kiosks) * per;
  double ratio = floor / ours;  // our throughput as a fraction of COPY's
  bench::report("sync_pg_50_kiosks_vs_copy", fmt::format("{:.0f} rec/s", total / ours),
                fmt::format("{:.0f} rec/s COPY", total / floor), ratio, ">= 0.50", ratio >= 0.5);
  srv->stop();
  return 0;
}
