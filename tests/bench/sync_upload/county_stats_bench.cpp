// The county's statistics at scale, on the embedded store and on
// PostgreSQL: a generated county (bench_county.h: 200 sites in 20
// townships, a registry, a year of sessions with attendance and confirmed
// rosters, exams) stored
// through the real ingest path with its projection, then the report
// queries timed (p95 of repeated runs against the 50 ms bar), and
// `reproject` of everything; then the dashboard's statistics API over HTTP
// and its overview in headless Chromium (dashboard_api above). Scale with CHZ_BENCH_SCALE (1 =
// about 1.7 million records on the embedded store and a quarter of that on PostgreSQL; the issue's
// 5 million is CHZ_BENCH_SCALE=3, outside CI).
#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "common/testing/temp_dir.h"
#include "sync/protocol/idcard.h"
#include "sync/protocol/person_key.h"
#include "sync/protocol/wire.h"
#include "sync/server/county_data.h"
#include "sync/server/county_model.h"
#include "sync/server/dashboard.h"
#include "sync/server/indicators.h"
#include "sync/server/server.h"
#include "tests/bench/sync_upload/bench_county.h"
#include "tests/bench/sync_upload/bench_records.h"
#include "tests/sync/pg_fixture.h"

using namespace chz;
using chz::bench::Clk;
using chz::bench::p95;
using chz::bench::secs;
using nlohmann::json;
namespace stats = chz::server::stats;

namespace {

// The dashboard over real HTTP on the same county: each statistics call's
// p95 (floor: GET /api/v1/health, the front's own cost), then, on the
// embedded store, the overview in headless Chromium from navigation to
// data-ready (tests/bench/dashboard/overview.mjs; skipped without Chromium).
void dashboard_api(const std::string& backend, server::ServerStore& s,
                   const server::CountyKeys& k) {
  SystemClock clock;
  server::Service svc(s, k, clock);
  server::DashboardOptions o;
  o.web_dir = CHZ_WEB_DIR;
  const bool page = std::filesystem::exists(o.web_dir + "/index.html");
  if (!page) o.web_dir.clear();
  server::Dashboard d(s, k, clock, o);
  if (auto st = d.init(); !st.ok()) {
    fmt::print(stderr, "NOTE dashboard: {}\n", st.to_string());
    return;
  }
  svc.set_dashboard(&d);
  const std::string pw = "Bench-" + std::to_string(clock.now_ms() % 1'000'000) + "x";
  if (!s.model([&](server::ModelTx& tx) {
          return server::dash::add_user(tx.sql(), "bench", server::dash::Role::kViewer,
                                        server::dash::hash_password(pw, 1000), clock.now_ms());
        }).ok())
    return;
  auto http = server::HttpServer::start(svc, {});
  if (!http.ok()) return;
  httplib::Client c((*http)->url());
  c.set_read_timeout(120, 0);
  auto login = c.Post("/api/v1/dash/login", json{{"name", "bench"}, {"password", pw}}.dump(),
                      "application/json");
  if (!login || login->status != 200) {
    fmt::print(stderr, "NOTE dashboard sign-in failed\n");
    return;
  }
  std::string cookie = login->get_header_value("Set-Cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  auto timed = [&](const std::string& path) {
    std::vector<double> ms;
    for (int i = 0; i < 20; ++i) {
      auto t0 = Clk::now();
      auto r = c.Get(path, {{"Cookie", cookie}});
      ms.push_back(secs(t0, Clk::now()) * 1000);
      if (!r || r->status != 200) fmt::print(stderr, "NOTE {} failed\n", path);
    }
    return p95(ms);
  };
  double floor = timed("/api/v1/health");
  const std::string year = "from=2026-01-01&to=2026-12-31";
  struct Call {
    const char* name;
    std::string path;
  };
  for (const Call& call :
       {Call{"indicators", "/api/v1/dash/indicators"},
        Call{"report_total_year", "/api/v1/dash/report?by=total&" + year},
        Call{"report_township_year", "/api/v1/dash/report?by=township&" + year},
        Call{"report_month_year", "/api/v1/dash/report?by=month&" + year},
        Call{"report_one_township_by_site",
             "/api/v1/dash/report?by=site&township=%E4%B9%A1%E9%95%8700&" + year},
        Call{"freshness", "/api/v1/dash/freshness"}}) {
    double p = timed(call.path);
    bench::report(fmt::format("dashboard_api_{}_{}_p95", call.name, backend),
                  fmt::format("{:.1f} ms", p), fmt::format("{:.2f} ms health", floor), p / 50,
                  "<= 50 ms", p <= 50);
  }
  const char* chromium =
      std::getenv("CHZ_CHROMIUM") ? std::getenv("CHZ_CHROMIUM") : "/usr/bin/chromium";
  std::string pw_dir = std::string(CHZ_SOURCE_DIR) + "/tests/browser/node_modules/playwright-core";
  if (backend != "embedded") return;
  if (!std::filesystem::exists(chromium) || !std::filesystem::exists(pw_dir) || !page) {
    fmt::print(stderr,
               "NOTE dashboard_overview: SKIP (no Chromium, playwright-core or build/web)\n");
    return;
  }
  std::string cmd = fmt::format(
      "CHZ_PLAYWRIGHT='{}' node '{}/tests/bench/dashboard/overview.mjs' '{}' bench '{}' 10", pw_dir,
      CHZ_SOURCE_DIR, (*http)->url(), pw);
  std::string out;
  if (FILE* f = popen(cmd.c_str(), "r")) {
    char buf[256];
    while (fgets(buf, sizeof buf, f)) out += buf;
    pclose(f);
  }
  double p = 0, median = 0;
  int runs = 0;
  if (std::sscanf(out.c_str(), "overview_ms %lf %lf %d", &p, &median, &runs) != 3) {
    fmt::print(stderr, "NOTE dashboard_overview failed: {}\n", out);
    bench::report("dashboard_overview_chromium_p95", "failed", "-", 0, "<= 1000 ms", false);
    return;
  }
  bench::report("dashboard_overview_chromium_p95", fmt::format("{:.0f} ms", p),
                fmt::format("{:.0f} ms median", median), p / 1000, "<= 1000 ms", p <= 1000);
}

void run(const std::string& backend, server::ServerStore& s, const server::CountyKeys& k,
         int sessions, int registry) {
  auto g = bench::generate_county(s, k, {sessions, registry});
  if (!g.ok()) {
    fmt::print(stderr, "NOTE county_stats_{}: generation failed: {}\n", backend,
               g.status().to_string());
    bench::report("county_ingest_with_projection_" + backend, "failed", "-", 0, ">= 100000 rec/s",
                  false);
    return;
  }
  double rate = static_cast<double>(g->records) / g->ingest_s;
  fmt::print(
      stderr,
      "NOTE county_stats_{}: {} device records ({} sessions per class), {} registry people\n",
      backend, g->records, sessions, registry);
  bench::report("county_ingest_with_projection_" + backend, fmt::format("{:.0f} rec/s", rate),
                "100000 rec/s (bar)", rate / 100'000, ">= 1.00", rate >= 100'000);
  std::mt19937 rng(7);
  struct Q {
    const char* name;
    stats::Cut by;
    bool window;
  };
  for (const Q& q : {Q{"total_year", stats::Cut::kTotal, false},
                     Q{"by_township_year", stats::Cut::kTownship, false},
                     Q{"by_month_year", stats::Cut::kMonth, false},
                     Q{"by_group_year", stats::Cut::kGroup, false},
                     Q{"by_township_90_days", stats::Cut::kTownship, true}}) {
    std::vector<double> ms;
    for (int i = 0; i < 20; ++i) {
      std::string from = "2026-01-01", to = "2026-12-31";
      if (q.window) {
        auto d0 = days_from_civil({2026, 1, 1}) + static_cast<std::int64_t>(rng() % 270);
        from = format_date(civil_from_days(d0));
        to = format_date(civil_from_days(d0 + 89));
      }
      auto t0 = Clk::now();
      auto st = s.model([&](server::ModelTx& tx) {
        return stats::compute(tx.sql(), {from, to, q.by}).status();
      });
      ms.push_back(secs(t0, Clk::now()) * 1000);
      if (!st.ok()) fmt::print(stderr, "NOTE query failed: {}\n", st.to_string());
    }
    double p = p95(ms);
    bench::report(fmt::format("county_report_{}_{}_p95", q.name, backend),
                  fmt::format("{:.1f} ms", p), "50 ms (bar)", p / 50, "<= 1.00", p <= 50);
  }
  dashboard_api(backend, s, k);
  auto t0 = Clk::now();
  auto re = s.model([&](server::ModelTx& tx) { return server::model::reproject(tx).status(); });
  double rs = secs(t0, Clk::now());
  bench::report("county_reproject_" + backend, fmt::format("{:.1f} s", rs),
                fmt::format("{:.1f} s ingest", g->ingest_s), rs / g->ingest_s, "(time)", re.ok());
}

}  // namespace

int main() {
  double scale = std::getenv("CHZ_BENCH_SCALE") ? std::atof(std::getenv("CHZ_BENCH_SCALE")) : 1.0;
  auto keys = server::make_county_keys("示范县人社局", {"127.0.0.1"}, SystemClock().now_ms());
  if (!keys.ok()) return 1;
  {
    testing::TempDir dir("chz-county-bench");
    auto s = server::open_sqlite_store(dir.path().string());
    if (!s.ok()) return 1;
    run("embedded", **s, *keys, static_cast<int>(100 * scale), static_cast<int>(60'000 * scale));
  }
  auto pg = synctest::PgFixture::start();
  if (!pg.ok()) {
    fmt::print(stderr, "NOTE county_stats_pg: SKIP, PostgreSQL did not start: {}\n",
               pg.status().to_string());
    return 0;
  }
  auto url = (*pg)->new_database();
  if (!url.ok()) return 1;
  auto s = server::open_pg_store(*url);
  if (!s.ok()) return 1;
  run("pg", **s, *keys, static_cast<int>(25 * scale), static_cast<int>(15'000 * scale));
  return 0;
}
