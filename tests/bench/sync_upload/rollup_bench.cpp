// The roll-up at scale (docs/rollup.md): 晋城's six county-level units,
// each a county server on its own embedded store generated like
// county_stats_bench's county (bench_county.h) at CHZ_BENCH_SCALE (default
// 0.25 of the read-model issue's county, about 420,000 device records
// each; 1 = the full 1.7 million), enroll upward and forward into one city
// server on PostgreSQL over real HTTP. Figures:
//   rollup_forward_throughput  records/s from six counties into the city;
//                              floor: the counties' own ingest rate (with
//                              projection) measured in this run
//   rollup_month_catch_up      one county offline for a month (a month of new
//                              kiosk batches) catching up in one pass; floor:
//                              that county's first full forward
//   rollup_city_report_*_p95   the city's statistics over the six counties'
//                              sum (bar <= 50 ms, the issue's)
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <vector>

#include "common/testing/temp_dir.h"
#include "sync/server/county_data.h"
#include "sync/server/indicators.h"
#include "sync/server/server.h"
#include "sync/server/service.h"
#include "sync/server/upstream.h"
#include "tests/bench/sync_upload/bench_county.h"
#include "tests/bench/sync_upload/bench_records.h"
#include "tests/sync/pg_fixture.h"

using namespace chz;
using chz::bench::Clk;
using chz::bench::p95;
using chz::bench::secs;
namespace stats = chz::server::stats;

namespace {

struct County {
  std::string area, name;
  std::unique_ptr<testing::TempDir> dir;
  std::unique_ptr<server::ServerStore> store;
  server::CountyKeys keys;
  server::Upstream up;
  bench::Generated gen;
};

void fail(const std::string& what, const Status& st) {
  fmt::print(stderr, "NOTE rollup: {}: {}\n", what, st.to_string());
  bench::report("rollup_forward_throughput", "failed", "-", 0, "(figure)", false);
}

}  // namespace

int main() {
  double scale = std::getenv("CHZ_BENCH_SCALE") ? std::atof(std::getenv("CHZ_BENCH_SCALE")) : 0.25;
  auto pg = synctest::PgFixture::start();
  if (!pg.ok()) {
    fmt::print(stderr, "NOTE rollup: SKIP, PostgreSQL did not start: {}\n",
               pg.status().to_string());
    return 0;
  }
  SystemClock clock;
  auto city_keys =
      server::make_county_keys("晋城市人力资源和社会保障局", {"127.0.0.1"}, clock.now_ms());
  if (!city_keys.ok()) return 1;
  city_keys->area_code = "140500";
  city_keys->level = "city";
  auto url = (*pg)->new_database();
  if (!url.ok()) return 1;
  auto city_store = server::open_pg_store(*url);
  if (!city_store.ok()) return 1;
  server::Service svc(**city_store, *city_keys, clock);
  server::ServerOptions so;
  so.threads = 4;
  auto http = server::HttpServer::start(svc, so);
  if (!http.ok()) return 1;

  const int sessions = std::max(1, static_cast<int>(100 * scale));
  const int registry = std::max(1000, static_cast<int>(60'000 * scale));
  const std::vector<std::pair<const char*, const char*>> units = {
      {"140502", "城区"},   {"140581", "高平市"}, {"140522", "阳城县"},
      {"140524", "陵川县"}, {"140525", "泽州县"}, {"140521", "沁水县"}};
  std::vector<County> counties;
  double county_ingest_s = 0;
  std::int64_t county_records = 0;
  for (const auto& [area, name] : units) {
    County c{area, name, std::make_unique<testing::TempDir>("chz-rollup-bench"), nullptr, {},
             {},   {}};
    auto s = server::open_sqlite_store(c.dir->path().string());
    if (!s.ok()) return fail("county store", s.status()), 1;
    c.store = std::move(*s);
    auto k = server::make_county_keys(std::string(name) + "人力资源和社会保障局", {"127.0.0.1"},
                                      clock.now_ms());
    if (!k.ok()) return 1;
    c.keys = *k;
    c.keys.area_code = area;
    auto g = bench::generate_county(*c.store, c.keys, {sessions, registry, area});
    if (!g.ok()) return fail("generation", g.status()), 1;
    c.gen = *g;
    county_ingest_s += g->ingest_s;
    county_records += g->records;
    if (auto st = (*city_store)->add_site(server::county_site(area), name, ""); !st.ok())
      return fail("city site", st), 1;
    auto code =
        server::issue_code(**city_store, server::county_site(area), 3'600'000, clock.now_ms());
    if (!code.ok()) return fail("code", code.status()), 1;
    std::filesystem::create_directories(c.dir->path() / "up");
    auto up = server::enroll_upstream(c.dir->path() / "up", c.keys, (*http)->url(), *code, clock);
    if (!up.ok()) return fail("enroll upward", up.status()), 1;
    c.up = *up;
    counties.push_back(std::move(c));
  }
  fmt::print(stderr,
             "NOTE rollup: 6 counties, {} device records ({} sessions per class, {} registry "
             "people each)\n",
             county_records, sessions, registry);

  // Every county forwards everything it holds.
  std::int64_t forwarded = 0;
  double forward_s = 0, first_forward_s = 0;
  for (auto& c : counties) {
    auto t0 = Clk::now();
    auto rep = server::forward_once(*c.store, c.up, clock);
    double dt = secs(t0, Clk::now());
    if (!rep.ok()) return fail("forward " + c.area, rep.status()), 1;
    if (!rep->unproven.empty())
      fmt::print(stderr, "NOTE rollup: {} unproven kiosks\n", rep->unproven.size());
    forwarded += rep->device_records + rep->county_records;
    forward_s += dt;
    if (&c == &counties.back()) first_forward_s = dt;
  }
  double rate = static_cast<double>(forwarded) / forward_s;
  double floor = static_cast<double>(county_records) / county_ingest_s;
  bench::report("rollup_forward_throughput", fmt::format("{:.0f} rec/s", rate),
                fmt::format("{:.0f} rec/s county ingest", floor), rate / floor, "(figure)", true);

  // 沁水县 was offline for a month: a month of new kiosks' batches, then one pass.
  County& late = counties.back();
  auto month =
      bench::generate_county(*late.store, late.keys,
                             {std::max(1, sessions * 30 / 360), registry, late.area, 330, 30, "m"});
  if (!month.ok()) return fail("the month", month.status()), 1;
  auto t0 = Clk::now();
  auto rep = server::forward_once(*late.store, late.up, clock);
  double catch_up = secs(t0, Clk::now());
  if (!rep.ok()) return fail("catch-up", rep.status()), 1;
  bench::report(
      "rollup_month_catch_up",
      fmt::format("{:.1f} s for {} records", catch_up, rep->device_records + rep->county_records),
      fmt::format("{:.1f} s first forward", first_forward_s), catch_up / first_forward_s,
      "(figure)", rep->device_records >= month->records);

  // The city's statistics over all six.
  struct Q {
    const char* name;
    stats::Cut by;
  };
  for (const Q& q : {Q{"total_year", stats::Cut::kTotal}, Q{"by_county_year", stats::Cut::kCounty},
                     Q{"by_township_year", stats::Cut::kTownship}}) {
    std::vector<double> ms;
    for (int i = 0; i < 10; ++i) {
      auto q0 = Clk::now();
      auto st = (*city_store)->model([&](server::ModelTx& tx) {
        return stats::compute(tx.sql(), {"2026-01-01", "2026-12-31", q.by}).status();
      });
      ms.push_back(secs(q0, Clk::now()) * 1000);
      if (!st.ok()) fmt::print(stderr, "NOTE rollup: query failed: {}\n", st.to_string());
    }
    double p = p95(ms);
    bench::report(fmt::format("rollup_city_report_{}_p95", q.name), fmt::format("{:.1f} ms", p),
                  "50 ms (bar)", p / 50, "<= 1.00", p <= 50);
  }
  return 0;
}
