// The dashboard's API over real HTTP on a real store (embedded, and
// PostgreSQL in the _pg run): sign-in, roles collected from the route
// table, CSRF, lock-out and its back-off, idle sessions, the per-address
// login rate, reports equal to stats::compute with filters and as files,
// registry import's dry run, the audit chain catching an edit, and targets
// (set, refused, withdrawn; the 目标完成情况表 as JSON and files; at a city
// per county, with the counties' freshness).
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <thread>

#include "sync/server/county_data.h"
#include "sync/server/dashboard.h"
#include "sync/server/indicators.h"
#include "sync/server/person_lookup.h"
#include "sync/server/registry_import.h"
#include "sync/server/routes.h"
#include "tests/sync/harness.h"

namespace chz {
namespace {
using json = nlohmann::json;
using server::dash::Role;

// Users get a cheap hash here (the count is stored with it); the CLI and
// the browser test use the real 600,000.
constexpr int kTestIterations = 1000;
const std::string kPassword = "Huangtu-2026!";

struct Dash {
  explicit Dash(server::DashboardOptions o = {}) : d(*h.store, h.keys, h.clock, std::move(o)) {
    REQUIRE(d.init().ok());
    h.svc->set_dashboard(&d);
    for (auto [name, role] : {std::pair{"viewer1", Role::kViewer},
                              {"admin1", Role::kAdmin},
                              {"security1", Role::kSecurity},
                              {"audit1", Role::kAudit}})
      REQUIRE(h.store
                  ->model([&](server::ModelTx& tx) {
                    return server::dash::add_user(
                        tx.sql(), name, role,
                        server::dash::hash_password(kPassword, kTestIterations), h.clock.now_ms());
                  })
                  .ok());
  }
  ~Dash() { h.svc->set_dashboard(nullptr); }
  // The demo county (demo_seed.h) with the repository's courses.
  void seed_demo() {
    REQUIRE(server::demo_seed(*h.store, h.keys,
                              std::string(std::getenv("CHZ_SOURCE_DIR")) + "/content/courses",
                              h.clock.now_ms())
                .ok());
  }
  synctest::Harness h;
  server::Dashboard d;
};

struct Signed {
  std::string cookie, csrf;
};

httplib::Client client(const std::string& url) {
  httplib::Client c(url);
  c.set_read_timeout(30, 0);
  return c;
}

httplib::Result login(const std::string& url, const std::string& name, const std::string& pw) {
  auto c = client(url);
  return c.Post("/api/v1/dash/login", json{{"name", name}, {"password", pw}}.dump(),
                "application/json");
}

Signed sign_in(const std::string& url, const std::string& name) {
  auto r = login(url, name, kPassword);
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  std::string set = r->get_header_value("Set-Cookie");
  CHECK(set.find("HttpOnly") != std::string::npos);
  CHECK(set.find("Secure") != std::string::npos);
  CHECK(set.find("SameSite=Strict") != std::string::npos);
  return {set.substr(0, set.find(';')), json::parse(r->body)["csrf"].get<std::string>()};
}

httplib::Result get(const std::string& url, const Signed& s, const std::string& path) {
  auto c = client(url);
  return c.Get(path, {{"Cookie", s.cookie}});
}
httplib::Result post(const std::string& url, const Signed& s, const std::string& path,
                     const std::string& body, bool csrf = true) {
  auto c = client(url);
  httplib::Headers hd{{"Cookie", s.cookie}};
  if (csrf) hd.emplace("X-CSRF-Token", s.csrf);
  return c.Post(path, hd, body, "application/json");
}
std::string error_of(const httplib::Result& r) {
  auto j = json::parse(r->body, nullptr, false);
  return j.is_object() && j.contains("error") ? j["error"].get<std::string>() : "";
}

std::string percent(const std::string& s) {
  std::string out;
  for (unsigned char c : s) out += fmt::format("%{:02X}", c);
  return out;
}

// A minimal registry CSV: one good row and two the import refuses.
const std::string kRegistryCsv =
    "姓名,身份证号,性别,乡镇,村\n"
    "王建䶮,14052119900101123X,男,城关镇,南关村\n"
    "李二,14052119900101123,男,城关镇,南关村\n"
    "<img src=x onerror=alert(1)>,abc,男,城关镇,南关村\n";

}  // namespace

TEST_CASE(
    "dashboard: every route the table keeps from a role is refused to it, 401 without a session") {
  Dash t;
  std::map<Role, Signed> who;
  for (auto [name, role] : {std::pair{"viewer1", Role::kViewer},
                            {"admin1", Role::kAdmin},
                            {"security1", Role::kSecurity},
                            {"audit1", Role::kAudit}})
    who[role] = sign_in(t.h.url(), name);
  int checked = 0;
  for (const auto& r : server::all_routes()) {
    if (!r.dashboard || r.roles == 0) continue;
    std::string path(r.path);
    for (auto& [role, s] : who) {
      bool may = server::dash::has(r.roles, role);
      if (may) continue;
      auto res = r.method == "GET" ? get(t.h.url(), s, path) : post(t.h.url(), s, path, "{}");
      REQUIRE(res);
      INFO(r.method, " ", path, " as ", server::dash::role_name(role));
      CHECK(res->status == 403);
      CHECK(error_of(res) == "forbidden");
      ++checked;
    }
    auto anon = client(t.h.url());
    auto res = r.method == "GET" ? anon.Get(path) : anon.Post(path, "{}", "application/json");
    REQUIRE(res);
    CHECK(res->status == 401);
  }
  CHECK(checked >= 20);  // the table really has role-limited routes
  // And each role reaches what it may: a route of its own answers 200.
  CHECK(get(t.h.url(), who[Role::kViewer], "/api/v1/dash/indicators")->status == 200);
  CHECK(get(t.h.url(), who[Role::kAdmin], "/api/v1/dash/certificates/pending")->status == 200);
  CHECK(get(t.h.url(), who[Role::kSecurity], "/api/v1/dash/users")->status == 200);
  CHECK(get(t.h.url(), who[Role::kAudit], "/api/v1/dash/audit")->status == 200);
}

TEST_CASE("dashboard: a change without the session's CSRF token is refused and changes nothing") {
  Dash t;
  Signed s = sign_in(t.h.url(), "security1");
  std::string body = json{{"name", "new1"}, {"role", "viewer"}, {"password", kPassword}}.dump();
  auto none = post(t.h.url(), s, "/api/v1/dash/users/add", body, false);
  CHECK(none->status == 403);
  CHECK(error_of(none) == "csrf");
  Signed wrong = s;
  // Another first character (a token that began with "x" made this the right one).
  wrong.csrf[0] = s.csrf[0] == 'x' ? 'y' : 'x';
  auto bad = post(t.h.url(), wrong, "/api/v1/dash/users/add", body);
  CHECK(bad->status == 403);
  auto list = json::parse(get(t.h.url(), s, "/api/v1/dash/users")->body)["users"];
  CHECK(list.size() == 4);
  auto ok = post(t.h.url(), s, "/api/v1/dash/users/add", body);
  CHECK_MESSAGE(ok->status == 200, ok->body);
  CHECK(json::parse(get(t.h.url(), s, "/api/v1/dash/users")->body)["users"].size() == 5);
}

TEST_CASE(
    "dashboard: five wrong passwords lock the user, even the right one then waits; unlock ends "
    "it") {
  Dash t;
  for (int i = 0; i < 4; ++i) CHECK(login(t.h.url(), "admin1", "Wrong-password-1")->status == 401);
  CHECK(login(t.h.url(), "admin1", "Wrong-password-1")->status == 401);  // the fifth: locks
  auto locked = login(t.h.url(), "admin1", kPassword);
  CHECK(locked->status == 423);
  auto j = json::parse(locked->body);
  CHECK(j["retry_after_s"].get<int>() > 0);
  CHECK(j["retry_after_s"].get<int>() <= 60);
  // The lock backs off: one more failure after it would double it.
  std::int64_t until = 0;
  REQUIRE(t.h.store
              ->model([&](server::ModelTx& tx) {
                auto u = server::dash::record_failure(tx.sql(), "admin1", t.h.clock.now_ms());
                if (u.ok()) until = *u;
                return u.status();
              })
              .ok());
  CHECK(until - t.h.clock.now_ms() > 100'000);  // two minutes, not one
  CHECK(until - t.h.clock.now_ms() <= 120'000);
  Signed sec = sign_in(t.h.url(), "security1");
  CHECK(
      post(t.h.url(), sec, "/api/v1/dash/users/unlock", json{{"name", "admin1"}}.dump())->status ==
      200);
  CHECK(login(t.h.url(), "admin1", kPassword)->status == 200);
  // An unknown user gets the same answer as a wrong password.
  auto unknown = login(t.h.url(), "nobody", kPassword);
  CHECK(unknown->status == 401);
  CHECK(error_of(unknown) == "auth");
}

TEST_CASE("dashboard: more than ten sign-ins a minute from one address are refused with 429") {
  Dash t;
  int refused = 0;
  for (int i = 0; i < 12; ++i)
    if (login(t.h.url(), "viewer" + std::to_string(i), "x")->status == 429) ++refused;
  CHECK(refused == 2);
}

TEST_CASE("dashboard: /api/v1/verify answers without a session and says what it found") {
  Dash t;
  auto c = client(t.h.url());
  auto r = c.Get("/api/v1/verify?p=CHZC1.5.abc");
  REQUIRE(r);
  CHECK(r->status == 200);
  auto j = json::parse(r->body);
  CHECK(j["verdict"] == "damaged");
  CHECK(j["genuine"] == false);
  CHECK(c.Get("/api/v1/verify?p=" + std::string(9000, 'x'))->status == 413);
}

TEST_CASE("dashboard: alerts name what needs a person's attention; devices list and revoke") {
  Dash t;
  auto k = t.h.kiosk("site-a");
  Signed a = sign_in(t.h.url(), "admin1");
  auto al = json::parse(get(t.h.url(), a, "/api/v1/dash/alerts")->body);
  bool backup = false;
  for (const auto& x : al["alerts"]) backup = backup || x["kind"] == "backup";
  CHECK(backup);  // no backup system yet: said, not hidden
  auto devs = json::parse(get(t.h.url(), a, "/api/v1/dash/devices")->body);
  REQUIRE(devs["devices"].size() == 1);
  CHECK(devs["devices"][0]["device"] == k.id);
  CHECK(devs["devices"][0]["revoked"] == false);
  auto code = post(t.h.url(), a, "/api/v1/dash/devices/code", json{{"site", "site-b"}}.dump());
  CHECK(code->status == 200);
  auto cj = json::parse(code->body);
  CHECK(cj["code"].get<std::string>().size() >= 20);
  // The USB file names the address the request came to, as the kiosk reads it.
  CHECK(cj["usb_file"].get<std::string>().rfind("server=https://127.0.0.1:", 0) == 0);
  CHECK(cj["usb_file"].get<std::string>().find("code=" + cj["code"].get<std::string>()) !=
        std::string::npos);
  CHECK(post(t.h.url(), a, "/api/v1/dash/devices/code", json{{"site", "nowhere"}}.dump())->status ==
        404);
  for (int hours : {0, 337})
    CHECK(post(t.h.url(), a, "/api/v1/dash/devices/code",
               json{{"site", "site-b"}, {"hours", hours}}.dump())
              ->status == 400);
  // Not an integer: 400, not a 500 from a thrown conversion (found by
  // tests/fuzz/server_request_fuzz) nor an undefined one for 1e300.
  for (json hours : {json("24"), json(1e300), json(12.5), json(nullptr)})
    CHECK_MESSAGE(post(t.h.url(), a, "/api/v1/dash/devices/code",
                       json{{"site", "site-b"}, {"hours", hours}}.dump())
                          ->status == 400,
                  hours.dump());
  CHECK(post(t.h.url(), a, "/api/v1/dash/devices/revoke", json{{"device", k.id}}.dump())->status ==
        200);
  devs = json::parse(get(t.h.url(), a, "/api/v1/dash/devices")->body);
  CHECK(devs["devices"][0]["revoked"] == true);
}

TEST_CASE("dashboard: a session idle longer than the limit is refused; logout ends one at once") {
  server::DashboardOptions o;
  o.session_idle_ms = 1000;
  Dash t(o);
  Signed s = sign_in(t.h.url(), "viewer1");
  CHECK(get(t.h.url(), s, "/api/v1/dash/me")->status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  auto late = get(t.h.url(), s, "/api/v1/dash/me");
  CHECK(late->status == 401);
  Signed s2 = sign_in(t.h.url(), "viewer1");
  CHECK(post(t.h.url(), s2, "/api/v1/dash/logout", "{}")->status == 200);
  CHECK(get(t.h.url(), s2, "/api/v1/dash/me")->status == 401);
}

TEST_CASE("dashboard: admin routes answer only from the allow-list; statistics from anywhere") {
  server::DashboardOptions o;
  o.admin_allow = {"10.0.0.0/8"};
  Dash t(o);
  Signed a = sign_in(t.h.url(), "admin1");
  CHECK(get(t.h.url(), a, "/api/v1/dash/certificates/pending")->status == 403);
  CHECK(get(t.h.url(), a, "/api/v1/dash/indicators")->status == 200);
  CHECK(*server::address_allowed({"127.0.0.0/8"}, "127.0.0.1"));
  CHECK_FALSE(*server::address_allowed({"10.1.0.0/16"}, "10.2.0.1"));
  CHECK(*server::address_allowed({"10.1.0.0/16"}, "10.1.200.3"));
  CHECK_FALSE(server::address_allowed({"10.1.0.0/40"}, "10.1.0.1").ok());
}

TEST_CASE(
    "dashboard: on the demo county, reports are stats::compute's (filtered, as CSV and XLSX) and "
    "person lookup finds by ID number and by name") {
  Dash t;
  t.seed_demo();
  Signed s = sign_in(t.h.url(), "viewer1");
  std::string today = format_date(china_date(t.h.clock.now_ms()));
  std::string from = std::to_string(china_date(t.h.clock.now_ms()).year - 1) + "-01-01";
  auto api = json::parse(
      get(t.h.url(), s, "/api/v1/dash/report?by=township&from=" + from + "&to=" + today)->body);
  server::stats::Report want;
  REQUIRE(t.h.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_ASSIGN_OR_RETURN(
                    want,
                    server::stats::compute(tx.sql(), {from, today, server::stats::Cut::kTownship}));
                return OkStatus();
              })
              .ok());
  REQUIRE(api["rows"].size() == want.rows.size());
  REQUIRE(want.total.values.at("trained_people") > 0);  // the demo county trained people
  CHECK(api["total"]["values"]["trained_people"].get<double>() ==
        want.total.values.at("trained_people"));
  std::string township;
  for (std::size_t i = 0; i < want.rows.size(); ++i) {
    CHECK(api["rows"][i]["key"] == want.rows[i].key);
    CHECK(api["rows"][i]["values"]["trained_enrolments"].get<double>() ==
          want.rows[i].values.at("trained_enrolments"));
    if (township.empty() && want.rows[i].values.at("trained_enrolments") > 0)
      township = want.rows[i].key;
  }
  REQUIRE(!township.empty());
  // Drill down: the township's sites sum to the township's 人次.
  auto sites = json::parse(get(t.h.url(), s,
                               "/api/v1/dash/report?by=site&from=" + from + "&to=" + today +
                                   "&township=" + percent(township))
                               ->body);
  double sum = 0;
  for (const auto& r : sites["rows"]) sum += r["values"]["trained_enrolments"].get<double>();
  double whole = 0;
  for (const auto& r : api["rows"])
    if (r["key"] == township) whole = r["values"]["trained_enrolments"].get<double>();
  CHECK(sum == whole);
  CHECK(sites["total"]["values"]["trained_enrolments"].get<double>() == whole);
  // A site filter leaves the population figures out.
  std::string site = sites["rows"][0]["key"];
  auto one = json::parse(
      get(t.h.url(), s,
          "/api/v1/dash/report?by=class&from=" + from + "&to=" + today + "&site=" + site)
          ->body);
  auto cols = one["columns"].get<std::vector<std::string>>();
  CHECK(std::find(cols.begin(), cols.end(), "cert_rate") == cols.end());
  CHECK(std::find(cols.begin(), cols.end(), "trained_people") != cols.end());
  // The same report as files.
  auto csv =
      get(t.h.url(), s, "/api/v1/dash/report?by=township&format=csv&from=" + from + "&to=" + today);
  CHECK(csv->status == 200);
  CHECK(csv->get_header_value("Content-Disposition").find("attachment") != std::string::npos);
  CHECK(csv->body.find(township) != std::string::npos);
  auto xlsx = get(t.h.url(), s,
                  "/api/v1/dash/report?by=township&format=xlsx&from=" + from + "&to=" + today);
  CHECK(xlsx->status == 200);
  CHECK(xlsx->body.substr(0, 2) == "PK");
  // Refusals: a bad cut, a reversed period.
  CHECK(get(t.h.url(), s, "/api/v1/dash/report?by=planet&from=" + from + "&to=" + today)->status ==
        400);
  CHECK(get(t.h.url(), s, "/api/v1/dash/report?from=" + today + "&to=" + from)->status == 400);
  CHECK(get(t.h.url(), s, "/api/v1/dash/report?format=pdf&from=" + from + "&to=" + today)->status ==
        400);

  // Person lookup on the same county (an admin's): by ID number, by name,
  // refusals, and every lookup audited without the ID number.
  server::PersonInput pi;
  pi.id_number = "140521197003123017";
  pi.name = "张𠮷";
  pi.township = "十里乡";
  pi.village = "南峪村";
  pi.groups = {"农村转移就业劳动者"};
  REQUIRE(
      server::enrol_person(*t.h.store, t.h.keys, "class-site-11-1", pi, t.h.clock.now_ms()).ok());
  Signed a = sign_in(t.h.url(), "admin1");
  auto r = get(t.h.url(), a, "/api/v1/dash/person?id=140521197003123017");
  REQUIRE_MESSAGE(r->status == 200, r->body);
  auto j = json::parse(r->body);
  CHECK(j["person"]["name"] == "张𠮷");
  CHECK(j["person"]["id_masked"] == "1405**********3017");
  CHECK(r->body.find("140521197003123017") == std::string::npos);  // never in full
  CHECK(j["person"]["groups"][0] == "农村转移就业劳动者");
  REQUIRE(j["classes"].size() == 1);
  CHECK(j["classes"][0]["class"] == "class-site-11-1");
  auto bad = get(t.h.url(), a, "/api/v1/dash/person?id=140521197003123018");
  CHECK(bad->status == 400);
  CHECK(json::parse(bad->body)["message"].get<std::string>().find("140521197003123018") ==
        std::string::npos);
  CHECK(get(t.h.url(), a, "/api/v1/dash/person?id=11010519491231002X")->status == 404);
  auto named = json::parse(get(t.h.url(), a, "/api/v1/dash/person?name=" + percent("𠮷"))->body);
  REQUIRE(named["matches"].size() >= 1);
  bool found = false;
  for (const auto& m : named["matches"]) found = found || m["name"] == "张𠮷";
  CHECK(found);
  // LIKE's own characters are text, not wildcards.
  CHECK(json::parse(get(t.h.url(), a, "/api/v1/dash/person?name=%25")->body)["matches"].empty());
  Signed au = sign_in(t.h.url(), "audit1");
  auto log = json::parse(get(t.h.url(), au, "/api/v1/dash/audit")->body);
  int lookups = 0;
  for (const auto& e : log["entries"]) {
    if (e["what"] == "person_lookup") ++lookups;
    CHECK(e["detail"].get<std::string>().find("140521") == std::string::npos);
  }
  CHECK(lookups == 4);
}

TEST_CASE("dashboard: a registry upload's dry run reports refused rows and writes nothing") {
  Dash t;
  Signed a = sign_in(t.h.url(), "admin1");
  auto c = client(t.h.url());
  httplib::Headers hd{{"Cookie", a.cookie}, {"X-CSRF-Token", a.csrf}};
  auto dry = c.Post("/api/v1/dash/registry/import?kind=registry&dry_run=1&name=r.csv", hd,
                    kRegistryCsv, "text/csv");
  REQUIRE(dry);
  REQUIRE_MESSAGE(dry->status == 200, dry->body);
  auto j = json::parse(dry->body);
  CHECK(j["added"] == 1);
  int refused = 0;
  for (const auto& i : j["issues"]) refused += i["refused"].get<bool>() ? 1 : 0;
  CHECK(refused == 2);
  auto now = server::registry_counts(*t.h.store);
  REQUIRE(now.ok());
  CHECK(now->members == 0);  // a dry run writes nothing
  // A kind outside the two, or no file at all, is refused and writes nothing.
  CHECK(c.Post("/api/v1/dash/registry/import?kind=people&name=r.csv", hd, kRegistryCsv, "text/csv")
            ->status == 400);
  CHECK(
      c.Post("/api/v1/dash/registry/import?kind=registry&name=r.csv", hd, "", "text/csv")->status ==
      400);
  CHECK(server::registry_counts(*t.h.store)->members == 0);
  auto real =
      c.Post("/api/v1/dash/registry/import?kind=registry&name=r.csv", hd, kRegistryCsv, "text/csv");
  CHECK(real->status == 200);
  CHECK(server::registry_counts(*t.h.store)->members == 1);
}

TEST_CASE(
    "dashboard: sign-ins and changes are chained in the audit log; an edited entry is named") {
  Dash t;
  sign_in(t.h.url(), "admin1");
  CHECK(login(t.h.url(), "admin1", "Wrong-password-1")->status == 401);
  Signed au = sign_in(t.h.url(), "audit1");
  auto j = json::parse(get(t.h.url(), au, "/api/v1/dash/audit")->body);
  CHECK(j["verified"] == true);
  std::vector<std::string> what;
  for (const auto& e : j["entries"]) what.push_back(e["what"]);
  CHECK(what == std::vector<std::string>{"login", "login_failed", "login"});
  REQUIRE(
      t.h.store
          ->model([](server::ModelTx& tx) {
            return tx.sql().exec("UPDATE dash_audit SET who = 'someone' WHERE seq = 2").status();
          })
          .ok());
  std::vector<std::string> problems;
  REQUIRE(t.h.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_ASSIGN_OR_RETURN(problems, server::dash::verify_audit(tx.sql()));
                return OkStatus();
              })
              .ok());
  REQUIRE(problems.size() >= 1);
  CHECK(problems[0].find("entry 2") != std::string::npos);
  CHECK(json::parse(get(t.h.url(), au, "/api/v1/dash/audit")->body)["verified"] == false);
}

}  // namespace chz

namespace chz {
namespace {
std::string target_body(int year, const char* indicator, const char* value,
                        const char* county = "") {
  return json{{"year", year}, {"indicator", indicator}, {"value", value}, {"county", county}}
      .dump();
}
std::vector<std::string> column_titles(const json& table) {
  std::vector<std::string> out;
  for (const auto& c : table["columns"]) out.push_back(c["title"]);
  return out;
}
}  // namespace

TEST_CASE(
    "dashboard: targets are set and withdrawn by an admin only (CSRF, audited, bad values 400), "
    "read by a viewer as the 目标完成情况表 in JSON, CSV and XLSX") {
  Dash t;
  t.seed_demo();
  Signed viewer = sign_in(t.h.url(), "viewer1"), admin = sign_in(t.h.url(), "admin1");
  const int year = china_date(t.h.clock.now_ms()).year;
  const std::string today = format_date(china_date(t.h.clock.now_ms()));
  const std::string q = "/api/v1/dash/targets?year=" + std::to_string(year);

  // No target yet: 200 with no table, so the page can offer to set one.
  auto none = get(t.h.url(), viewer, q);
  REQUIRE(none->status == 200);
  auto nj = json::parse(none->body);
  CHECK(nj["table"].is_null());
  CHECK(nj["targets"].empty());
  CHECK(nj["counties"].empty());  // a county has no counties below
  CHECK(nj["year"] == year);
  CHECK(get(t.h.url(), viewer, q + "&format=xlsx")->status == 404);
  CHECK(json::parse(get(t.h.url(), viewer, "/api/v1/dash/freshness")->body)["counties"].empty());

  // A viewer may not set one; an admin must send the CSRF token.
  std::string people = target_body(year, "trained_people", "4000");
  auto by_viewer = post(t.h.url(), viewer, "/api/v1/dash/targets/set", people);
  CHECK(by_viewer->status == 403);
  CHECK(error_of(by_viewer) == "forbidden");
  auto no_csrf = post(t.h.url(), admin, "/api/v1/dash/targets/set", people, false);
  CHECK(no_csrf->status == 403);
  CHECK(error_of(no_csrf) == "csrf");
  CHECK(json::parse(get(t.h.url(), viewer, q)->body)["targets"].empty());

  auto set = post(t.h.url(), admin, "/api/v1/dash/targets/set", people);
  REQUIRE_MESSAGE(set->status == 200, set->body);
  CHECK(json::parse(set->body)["value"] == 4000);
  auto rate =
      post(t.h.url(), admin, "/api/v1/dash/targets/set", target_body(year, "cert_rate", "55%"));
  REQUIRE_MESSAGE(rate->status == 200, rate->body);
  CHECK(json::parse(rate->body)["value"].get<double>() == doctest::Approx(0.55));

  // Refused with the reason, and nothing written.
  for (const std::string& bad :
       {target_body(year, "trained_people", "abc"), target_body(year, "trained_people", "2.5"),
        target_body(year, "trained_people", "50%"), target_body(year, "cert_rate", "120%"),
        target_body(year, "trained_people", ""), target_body(year, "no_such", "1"),
        target_body(1999, "trained_people", "1"),
        target_body(year, "trained_people", "1", "140599"),
        json{{"year", std::to_string(year)}, {"indicator", "trained_people"}, {"value", "1"}}
            .dump(),
        json{{"year", 2026.5}, {"indicator", "trained_people"}, {"value", "1"}}.dump(),
        std::string("[1]")}) {
    auto r = post(t.h.url(), admin, "/api/v1/dash/targets/set", bad);
    INFO(bad, " → ", r->body);
    CHECK(r->status == 400);
    CHECK(error_of(r) == "malformed");
    CHECK(!json::parse(r->body)["message"].get<std::string>().empty());
  }

  // The table: 单位, then 目标 / 完成 / 完成率 per targeted indicator; 完成 is
  // the report's figure from 1 January to today.
  auto got = get(t.h.url(), viewer, q);
  REQUIRE(got->status == 200);
  auto j = json::parse(got->body);
  REQUIRE(j["table"].is_object());
  const json& tab = j["table"];
  CHECK(column_titles(tab) == std::vector<std::string>{"单位", "培训人数目标", "培训人数完成",
                                                       "培训人数完成率", "持证率目标", "持证率完成",
                                                       "持证率完成率"});
  CHECK(tab["columns"][1]["type"] == "int");
  CHECK(tab["columns"][4]["type"] == "percent1");
  CHECK(tab["unit_name"] == t.h.keys.name);
  CHECK(tab["period"] == std::to_string(year) + "-01-01 至 " + today);
  REQUIRE(tab["rows"].size() == 1);
  const json& row = tab["rows"][0];
  auto rep = json::parse(
      get(t.h.url(), viewer,
          "/api/v1/dash/report?by=total&from=" + std::to_string(year) + "-01-01&to=" + today)
          ->body);
  double trained = rep["total"]["values"]["trained_people"].get<double>();
  CHECK(row[0] == t.h.keys.name);
  CHECK(row[1] == 4000);
  CHECK(row[2].get<double>() == trained);
  CHECK(row[3].get<double>() == doctest::Approx(trained / 4000));
  CHECK(row[4].get<double>() == doctest::Approx(0.55));
  if (rep["total"]["values"]["cert_rate"].is_number())
    CHECK(row[6].get<double>() ==
          doctest::Approx(rep["total"]["values"]["cert_rate"].get<double>() / 0.55));
  REQUIRE(j["targets"].size() == 2);
  CHECK(j["targets"][0]["indicator"] == "cert_rate");
  CHECK(j["targets"][0]["unit"] == "");
  CHECK(j["targets"][1]["value"] == 4000);

  // The same table as files, named for the county, the table and the period.
  auto csv = get(t.h.url(), viewer, q + "&format=csv");
  REQUIRE(csv->status == 200);
  std::string cd = csv->get_header_value("Content-Disposition");
  CHECK(cd.find("attachment") != std::string::npos);
  // filename*= is percent-encoded UTF-8; cpp-httplib 0.11's client decodes header values.
  CHECK_MESSAGE((cd.find(percent("目标完成情况表")) != std::string::npos ||
                 cd.find("filename*=UTF-8''" + t.h.keys.name + "_" + std::to_string(year) +
                         "年技能人才工作目标完成情况表_") != std::string::npos),
                cd);
  CHECK(csv->body.find("培训人数完成率") != std::string::npos);
  auto xlsx = get(t.h.url(), viewer, q + "&format=xlsx");
  REQUIRE(xlsx->status == 200);
  CHECK(xlsx->get_header_value("Content-Type").find("spreadsheetml") != std::string::npos);
  CHECK(xlsx->body.substr(0, 4) == std::string("PK\x03\x04", 4));
  CHECK(xlsx->body.size() > 4000);
  CHECK(xlsx->body.find("xl/worksheets/sheet1.xml") != std::string::npos);

  // Withdrawn, a target leaves the table.
  auto cl = post(t.h.url(), admin, "/api/v1/dash/targets/clear",
                 json{{"year", year}, {"indicator", "cert_rate"}}.dump());
  REQUIRE_MESSAGE(cl->status == 200, cl->body);
  CHECK(post(t.h.url(), viewer, "/api/v1/dash/targets/clear",
             json{{"year", year}, {"indicator", "trained_people"}}.dump())
            ->status == 403);
  j = json::parse(get(t.h.url(), viewer, q)->body);
  CHECK(j["table"]["columns"].size() == 4);
  CHECK(j["targets"].size() == 1);

  // Next year's target is listed, with no table before the year begins
  // (and no file).
  REQUIRE(post(t.h.url(), admin, "/api/v1/dash/targets/set",
               target_body(year + 1, "new_certified", "300"))
              ->status == 200);
  auto next = json::parse(
      get(t.h.url(), viewer, "/api/v1/dash/targets?year=" + std::to_string(year + 1))->body);
  CHECK(next["table"].is_null());
  REQUIRE(next["targets"].size() == 1);
  CHECK(next["targets"][0]["indicator"] == "new_certified");
  CHECK(get(t.h.url(), viewer, "/api/v1/dash/targets?format=csv&year=" + std::to_string(year + 1))
            ->status == 400);
  for (const char* bad : {"?year=26", "?year=abcd", "?year=1999", "?year=2026&to=2026-13-01",
                          "?year=2026&format=pdf"})
    CHECK_MESSAGE(get(t.h.url(), viewer, std::string("/api/v1/dash/targets") + bad)->status == 400,
                  bad);

  // Every change is in the audit chain, and it still verifies.
  Signed au = sign_in(t.h.url(), "audit1");
  auto log = json::parse(get(t.h.url(), au, "/api/v1/dash/audit")->body);
  std::vector<std::string> changes;
  for (const auto& e : log["entries"])
    if (e["what"].get<std::string>().rfind("target_", 0) == 0)
      changes.push_back(e["what"].get<std::string>() + " " + e["detail"].get<std::string>());
  CHECK(changes ==
        std::vector<std::string>{fmt::format("target_set {} trained_people = 4000", year),
                                 fmt::format("target_set {} cert_rate = 55%", year),
                                 fmt::format("target_clear {} cert_rate", year),
                                 fmt::format("target_set {} new_certified = 300", year + 1)});
  CHECK(log["verified"] == true);
}

TEST_CASE(
    "dashboard: at a city, targets name its counties, the table has a row per county and the "
    "city's 合计, and freshness lists a county that forwarded") {
  Dash t;
  t.h.keys.level = "city";
  // 沁水县 enrolls upward and forwards one record of its own; 阳城县 has a code only.
  synctest::Harness county;
  server::Upstream up = synctest::enroll_upward(county, t.h, "140521", "沁水县");
  REQUIRE(t.h.store->add_site(server::county_site("140522"), "阳城县", "").ok());
  REQUIRE(
      server::add_class(*county.store, {"k1", "c1", "site-a", "烹调一班"}, county.clock.now_ms())
          .ok());
  auto fw = server::forward_once(*county.store, up, county.clock);
  REQUIRE_MESSAGE(fw.ok(), fw.status().to_string());

  Signed admin = sign_in(t.h.url(), "admin1");
  const int year = china_date(t.h.clock.now_ms()).year;
  const std::string q = "/api/v1/dash/targets?year=" + std::to_string(year);
  auto j = json::parse(get(t.h.url(), admin, q)->body);
  CHECK(j["counties"] == json::parse(R"([{"area":"140521","name":"沁水县"},
                                         {"area":"140522","name":"阳城县"}])"));
  REQUIRE(post(t.h.url(), admin, "/api/v1/dash/targets/set",
               target_body(year, "trained_people", "200", "140521"))
              ->status == 200);
  REQUIRE(
      post(t.h.url(), admin, "/api/v1/dash/targets/set", target_body(year, "trained_people", "500"))
          ->status == 200);
  // A county the city issued no code to is refused.
  CHECK(post(t.h.url(), admin, "/api/v1/dash/targets/set",
             target_body(year, "trained_people", "1", "140525"))
            ->status == 400);
  j = json::parse(get(t.h.url(), admin, q)->body);
  const json& tab = j["table"];
  REQUIRE(tab.is_object());
  CHECK(tab["columns"][0]["title"] == "县（市、区）");
  REQUIRE(tab["rows"].size() == 2);
  CHECK(tab["rows"][0][0] == "沁水县");
  CHECK(tab["rows"][0][1] == 200);
  CHECK(tab["rows"][1][0] == "阳城县");
  CHECK(tab["rows"][1][1].is_null());  // no target for 阳城县
  CHECK(tab["total"][0] == "合计");
  CHECK(tab["total"][1] == 500);
  CHECK(j["targets"].size() == 2);
  CHECK(json::parse(get(t.h.url(), admin, "/api/v1/dash/indicators")->body)["level"] == "city");

  auto fr = json::parse(get(t.h.url(), admin, "/api/v1/dash/freshness")->body);
  const json* qinshui = nullptr;
  for (const auto& c : fr["counties"])
    if (c["area"] == "140521") qinshui = &c;
  REQUIRE(qinshui);
  CHECK((*qinshui)["name"] == "沁水县");
  CHECK((*qinshui)["last_ms"].get<std::int64_t>() > 0);
  CHECK((*qinshui)["behind"] == false);
  CHECK((*qinshui)["records"].get<std::int64_t>() >= 1);
}

}  // namespace chz
