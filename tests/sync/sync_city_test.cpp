// The city's view of the roll-up (docs/rollup.md): two counties that chose
// the same site, class, session and course ids, each with a kiosk, and one
// person trained in both, forward into one city server (all real servers on
// loopback; the city on PostgreSQL in the _pg run). The city must keep the
// counties' ids apart, count that person as 2 人次 and 1 人, cut every
// figure by county, and count a person who moved between counties once in
// its 持证率 denominator, under the county that holds them on the day.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <latch>
#include <thread>

#include "common/clock.h"
#include "sync/protocol/idcard.h"
#include "sync/protocol/person_key.h"
#include "sync/protocol/wire.h"
#include "sync/server/county_data.h"
#include "sync/server/county_model.h"
#include "sync/server/indicators.h"
#include "sync/server/server.h"
#include "sync/server/targets.h"
#include "tests/sync/harness.h"
#include "tests/sync/stats_helpers.h"

using namespace chz;
using namespace chz::synctest;
using nlohmann::json;
namespace stats = chz::server::stats;

namespace {

// 张𠮷 (female, 46 in 2026) trains in both counties and moves from the
// first to the second on 1 June; 王龘 (male, 36) trains in the first only.
const std::string kZhang = id_number("19800315", 2);
const std::string kWang = id_number("19900101", 5);

// One county server with one kiosk at "site-a", enrolled with the city.
struct County {
  std::unique_ptr<Harness> h = std::make_unique<Harness>();
  server::Upstream up;
  Kiosk k;
  std::int64_t now = h->clock.now_ms();

  County(Harness& city, const std::string& area, const std::string& name)
      : up(enroll_upward(*h, city, area, name)), k(h->kiosk("site-a")) {
    // The same ids in both counties, on purpose: course c1, class k1, session s1.
    write("site-a", "course", cookery_course());
    REQUIRE(server::add_class(*h->store, {"k1", "c1", "site-a", "烹调一班"}, now).ok());
    REQUIRE(server::add_session(*h->store, {"s1", "k1", "2026-03-05", "09:00", "11:00"}, now).ok());
  }

  std::string key(const std::string& id) const { return sync::person_key(h->keys.person_key, id); }
  void write(const std::string& site, const char* kind, const json& body) {
    REQUIRE(h->store->append_county({{site, kind, body.dump()}}, now).ok());
  }
  void rec(const char* kind, const json& body, std::int64_t t) {
    REQUIRE(k.dev->add_record(kind, body.dump(), t).ok());
  }
  // Registers the person at the kiosk and credits them 90 minutes of s1.
  void train(const std::string& id, const char* name) {
    std::string p = key(id);
    rec("person",
        {{"entity", "person:" + p}, {"id_number", id}, {"name", name}, {"township", "城关镇"}},
        at("2026-03-05", 8, 50));
    for (auto [ev, h1, m1] : {std::tuple{"in", 9, 0}, std::tuple{"out", 10, 30}})
      rec("attendance",
          {{"session", "s1"},
           {"person", p},
           {"event", ev},
           {"at_ms", at("2026-03-05", h1, m1)},
           {"by", "self"}},
          at("2026-03-05", h1, m1));
    present.push_back(p);
  }
  void confirm() {
    rec("roster_confirm",
        {{"session", "s1"},
         {"by", "staff-1"},
         {"at_ms", at("2026-03-05", 23, 59)},
         {"present", present}},
        at("2026-03-05", 23, 59));
    auto st = sync_client::Client(k.cred, {}, h->clock).sync_once(*k.dev, *k.dev);
    REQUIRE_MESSAGE(st.ok(), st.to_string());
  }
  void registry(const std::string& id, const char* name, const char* from) {
    write(std::string(server::model::kRegistryFeed), "registry_entry",
          {{"person", key(id)},
           {"id_number", id},
           {"name", name},
           {"township", "城关镇"},
           {"village", "南关村"},
           {"phone", ""},
           {"employment", "employed"},
           {"groups", json::array()},
           {"from", from},
           {"import", "t"}});
  }
  void forward() {
    auto rep = server::forward_once(*h->store, up, h->clock);
    REQUIRE_MESSAGE(rep.ok(), rep.status().to_string());
    CHECK(rep->unproven.empty());
  }
  std::vector<std::string> present;
};

stats::Report report(Harness& h, const char* to, stats::Cut by) {
  stats::Report r;
  auto st = h.store->model([&](server::ModelTx& tx) -> Status {
    CHZ_ASSIGN_OR_RETURN(r, stats::compute(tx.sql(), {"2026-01-01", to, by}));
    return OkStatus();
  });
  REQUIRE_MESSAGE(st.ok(), st.to_string());
  return r;
}
bool has_row(const stats::Report& r, const std::string& key) {
  for (const auto& x : r.rows)
    if (x.key == key) return true;
  return false;
}

// 张𠮷 trains in both counties and 王龘 in the first; both counties
// forward, unless the test does that itself.
void train_both(County& a, County& b, bool forward = true) {
  a.train(kZhang, "张𠮷");
  a.train(kWang, "王龘");
  a.confirm();
  b.train(kZhang, "张𠮷");
  b.confirm();
  if (!forward) return;
  a.forward();
  b.forward();
}

}  // namespace

TEST_CASE("city: one person trained in two counties is 2 人次 and 1 人; same ids stay apart") {
  Harness city;
  County a(city, "140521", "沁水县"), b(city, "140522", "阳城县");
  train_both(a, b);

  // Each county sees only its own.
  CHECK(v(report(*a.h, "2026-03-31", stats::Cut::kTotal).total, "trained_enrolments") == 2);
  CHECK(v(report(*b.h, "2026-03-31", stats::Cut::kTotal).total, "trained_people") == 1);

  auto total = report(city, "2026-03-31", stats::Cut::kTotal);
  CHECK(v(total.total, "trained_enrolments") == 3);
  CHECK(v(total.total, "trained_people") == 2);
  CHECK(v(total.total, "hours") == 6);  // 3 × 90 min at 45 min a 学时

  auto by_county = report(city, "2026-03-31", stats::Cut::kCounty);
  REQUIRE(by_county.rows.size() == 2);
  const stats::Row* qs = &row(by_county, "140521");
  const stats::Row* yc = &row(by_county, "140522");
  CHECK(qs->label == "沁水县");
  CHECK(yc->label == "阳城县");
  CHECK(v(*qs, "trained_enrolments") == 2);
  CHECK(v(*qs, "trained_people") == 2);
  CHECK(v(*yc, "trained_enrolments") == 1);
  CHECK(v(*yc, "trained_people") == 1);

  // "site-a" and class "k1" in two counties are two sites and two classes.
  auto by_site = report(city, "2026-03-31", stats::Cut::kSite);
  REQUIRE(by_site.rows.size() == 2);
  CHECK(has_row(by_site, "140521/site-a"));
  CHECK(has_row(by_site, "140522/site-a"));
  auto by_class = report(city, "2026-03-31", stats::Cut::kClass);
  CHECK(by_class.rows.size() == 2);
  // A township is named with its county (each county has its 城关镇).
  auto by_town = report(city, "2026-03-31", stats::Cut::kTownship);
  REQUIRE(by_town.rows.size() == 2);
  CHECK(row(by_town, "140521:城关镇").label.find("沁水县") == 0);
  // Drilling into that township stays inside its county.
  stats::Report town;
  REQUIRE(city.store
              ->model([&](server::ModelTx& tx) -> Status {
                stats::Query q{"2026-01-01", "2026-03-31", stats::Cut::kSite};
                q.township = "140521:城关镇";
                CHZ_ASSIGN_OR_RETURN(town, stats::compute(tx.sql(), q));
                return OkStatus();
              })
              .ok());
  REQUIRE(town.rows.size() == 1);
  CHECK(town.rows[0].key == "140521/site-a");
  CHECK(v(town.total, "trained_enrolments") == 2);

  // The course both counties call c1 is two courses at the city; the
  // occupation cut still puts them together.
  auto by_occ = report(city, "2026-03-31", stats::Cut::kOccupation);
  REQUIRE(by_occ.rows.size() == 1);
  CHECK(v(by_occ.rows[0], "trained_people") == 2);

  // Freshness per county: when its records last arrived, its kiosks.
  stats::Freshness fr;
  REQUIRE(city.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_ASSIGN_OR_RETURN(fr, stats::freshness(tx.sql(), city.clock.now_ms()));
                return OkStatus();
              })
              .ok());
  REQUIRE(fr.counties.size() == 2);
  CHECK(fr.counties[0].area == "140521");
  CHECK(fr.counties[0].name == "沁水县");
  CHECK(fr.counties[0].kiosks == 1);
  CHECK(fr.counties[0].records > 0);
  CHECK_FALSE(fr.counties[0].behind);
  CHECK(fr.counties[1].name == "阳城县");
  CHECK(fr.devices.size() == 2);  // the two kiosks; the counties' identities are not kiosks
  // A county given a code that never sent anything is listed, behind.
  REQUIRE(city.store->add_site(server::county_site("140524"), "陵川县", "").ok());
  REQUIRE(city.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_ASSIGN_OR_RETURN(fr, stats::freshness(tx.sql(), city.clock.now_ms()));
                return OkStatus();
              })
              .ok());
  REQUIRE(fr.counties.size() == 3);
  CHECK(fr.counties[2].name == "陵川县");
  CHECK(fr.counties[2].last_ms == 0);
  CHECK(fr.counties[2].behind);

  // The model is rebuilt from the stored records to the same rows.
  auto diff = city.store->model([&](server::ModelTx& tx) -> Status {
    CHZ_ASSIGN_OR_RETURN(auto d, server::model::reproject(tx));
    CHECK(d.empty());
    return OkStatus();
  });
  CHECK(diff.ok());
}

TEST_CASE(
    "city: a person who moved counties is one in the 持证率 denominator, with their certificate") {
  Harness city;
  County a(city, "140521", "沁水县"), b(city, "140522", "阳城县");
  a.registry(kZhang, "张𠮷", "2025-01-01");
  a.write(std::string(server::model::kRegistryFeed), "registry_leave",
          {{"person", a.key(kZhang)}, {"to", "2026-06-01"}});
  a.registry(kWang, "王龘", "2025-01-01");
  b.registry(kZhang, "张𠮷", "2026-06-01");
  // Her 四级 certificate was imported in the county she left.
  a.write(std::string(server::model::kRegistryFeed), "held_certificate",
          {{"person", a.key(kZhang)},
           {"kind", "等级"},
           {"occupation", "中式烹调师"},
           {"level", 4},
           {"number", "S000777"},
           {"date", "2026-02-01"},
           {"issuer", "晋城市职业技能鉴定中心"}});
  a.forward();
  b.forward();

  // March: both in the first county.
  auto march = report(city, "2026-03-31", stats::Cut::kCounty);
  CHECK(v(march.total, "population") == 2);
  CHECK(v(row(march, "140521"), "population") == 2);
  CHECK_FALSE(has_row(march, "140522"));

  // December: she is in the second county's registry only; the city
  // counts her once, certified, under that county.
  auto dec = report(city, "2026-12-31", stats::Cut::kCounty);
  CHECK(v(dec.total, "population") == 2);
  CHECK(v(dec.total, "certified_people") == 1);
  CHECK(v(dec.total, "mid_high") == 1);
  CHECK(v(dec.total, "new_certified") == 1);
  REQUIRE(has_row(dec, "140521"));
  REQUIRE(has_row(dec, "140522"));
  CHECK(v(row(dec, "140521"), "population") == 1);
  CHECK(v(row(dec, "140521"), "certified_people") == 0);
  CHECK(v(row(dec, "140522"), "population") == 1);
  CHECK(v(row(dec, "140522"), "certified_people") == 1);

  // Registered in both on the same day (an overlap the counties have not
  // settled yet): once in the city's total, once in each county's row.
  b.registry(kZhang, "张𠮷", "2026-03-01");
  b.forward();
  auto overlap = report(city, "2026-03-31", stats::Cut::kCounty);
  CHECK(v(overlap.total, "population") == 2);
  CHECK(v(row(overlap, "140521"), "population") == 2);
  CHECK(v(row(overlap, "140522"), "population") == 1);
}

TEST_CASE("city: two counties' own records with the same seq and time both count") {
  // A county's own records are named from origin "county" (wire.h): two
  // counties writing their nth record in the same millisecond make the same
  // uuid. Here the counties record attendance themselves (standing for any
  // county-written fact: a confirmation, a registry leave); the city keeps
  // both counties' facts.
  Harness city;
  County a(city, "140521", "沁水县"), b(city, "140522", "阳城县");
  const std::int64_t t = at("2026-03-05", 12, 0);
  for (County* c : {&a, &b}) {
    c->now = t;
    std::string p = c->key(kWang);
    for (auto [ev, h1, m1] : {std::tuple{"in", 9, 0}, std::tuple{"out", 10, 30}})
      c->write("site-a", "attendance",
               {{"session", "s1"},
                {"person", p},
                {"event", ev},
                {"at_ms", at("2026-03-05", h1, m1)},
                {"by", "staff-1"}});
    c->write("site-a", "roster_confirm",
             {{"session", "s1"},
              {"by", "staff-1"},
              {"at_ms", at("2026-03-05", 23, 59)},
              {"present", {p}}});
    c->write("site-a", "person",
             {{"entity", "person:" + p}, {"id_number", kWang}, {"name", "王龘"}});
    c->forward();
  }
  auto ra = city.store->records_of("county-140521");
  auto rb = city.store->records_of("county-140522");
  REQUIRE(ra.ok());
  REQUIRE(rb.ok());
  REQUIRE(ra->size() == rb->size());
  CHECK(ra->back().meta.uuid == rb->back().meta.uuid);  // the collision is real
  auto r = report(city, "2026-03-31", stats::Cut::kCounty);
  CHECK(v(r.total, "trained_enrolments") == 2);
  CHECK(v(r.total, "trained_people") == 1);  // one person, by ID number
  CHECK(v(row(r, "140521"), "trained_enrolments") == 1);
  CHECK(v(row(r, "140522"), "trained_enrolments") == 1);
}

TEST_CASE("city: targets per county and for the city, against the year's figures") {
  Harness city;
  County a(city, "140521", "沁水县"), b(city, "140522", "阳城县");
  train_both(a, b);
  const std::int64_t now = city.clock.now_ms();
  auto set = [&](const std::string& unit, const char* ind, const char* value) {
    auto v = server::parse_target_value(ind, value);
    REQUIRE_MESSAGE(v.ok(), v.status().to_string());
    auto st = server::set_target(*city.store, {unit, 2026, ind, *v}, now);
    REQUIRE_MESSAGE(st.ok(), st.to_string());
  };
  set("", "trained_people", "4");
  set("140521", "trained_people", "2");
  set("140522", "trained_people", "4");
  set("", "cert_rate", "55%");
  // A target for a county this city never issued a code to, or out of shape.
  CHECK(server::set_target(*city.store, {"140529", 2026, "trained_people", 1}, now).code() ==
        Code::kInvalidArgument);
  CHECK(server::set_target(*city.store, {"", 2026, "no_such", 1}, now).code() ==
        Code::kInvalidArgument);
  CHECK_FALSE(server::parse_target_value("cert_rate", "120%").ok());
  CHECK_FALSE(server::parse_target_value("trained_people", "2.5").ok());
  CHECK_FALSE(server::parse_target_value("trained_people", "50%").ok());
  CHECK(*server::parse_target_value("cert_rate", "0.55") == doctest::Approx(0.55));
  for (const char* odd : {"0x10", "1e3", " 5", "-1", "1.2.3", ".5", ""})
    CHECK_FALSE(server::parse_target_value("trained_people", odd).ok());
  // A county's own targets stay at the county: forwarded up, the city ignores them.
  REQUIRE(server::set_target(*a.h->store, {"", 2026, "trained_people", 999}, a.now).ok());
  a.forward();

  server::ReportTable t;
  REQUIRE(city.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_ASSIGN_OR_RETURN(auto listed, server::list_targets(tx.sql(), 2026));
                CHECK(listed.size() == 4);  // the county's own is not among them
                CHZ_ASSIGN_OR_RETURN(t, server::targets_table(tx.sql(), 2026, "2026-06-30",
                                                              "晋城市人社局", "2026-07-01"));
                return OkStatus();
              })
              .ok());
  // Columns: 县（市、区）, then target / figure / reached for each targeted indicator.
  REQUIRE(t.columns.size() == 1 + 2 * 3);
  CHECK(t.columns[1].title == "培训人数目标");
  CHECK(t.columns[4].title == "持证率目标");
  REQUIRE(t.rows.size() == 2);
  CHECK(std::get<std::string>(t.rows[0][0]) == "沁水县");
  CHECK(std::get<std::int64_t>(t.rows[0][1]) == 2);  // target
  CHECK(std::get<std::int64_t>(t.rows[0][2]) == 2);  // figure
  CHECK(std::get<double>(t.rows[0][3]) == doctest::Approx(1.0));
  CHECK(std::get<std::int64_t>(t.rows[1][2]) == 1);
  CHECK(std::get<double>(t.rows[1][3]) == doctest::Approx(0.25));
  // 合计 is the city: 2 people, not 2 + 1.
  CHECK(std::get<std::int64_t>(t.total[1]) == 4);
  CHECK(std::get<std::int64_t>(t.total[2]) == 2);
  CHECK(std::get<double>(t.total[3]) == doctest::Approx(0.5));
  CHECK(std::get<double>(t.total[4]) == doctest::Approx(0.55));
  CHECK(std::holds_alternative<std::monostate>(t.rows[0][4]));  // no county 持证率 target
  CHECK(server::check_report_table(t).ok());

  // Withdrawn, a target leaves the table; a year with none is refused.
  REQUIRE(server::set_target(*city.store, {"", 2026, "cert_rate", 0}, now, true).ok());
  REQUIRE(city.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_ASSIGN_OR_RETURN(t,
                                     server::targets_table(tx.sql(), 2026, "2026-06-30", "", ""));
                CHECK(t.columns.size() == 4);
                auto none = server::targets_table(tx.sql(), 2025, "2026-06-30", "", "");
                CHECK(none.status().code() == Code::kNotFound);
                return OkStatus();
              })
              .ok());
}

TEST_CASE("city: two city processes on one store take racing forwards, each batch once") {
  // A stateless city (PostgreSQL in the _pg run): a second server process
  // on the same database. 沁水县 runs two forward passes at once, one to
  // each process (its timer and an operator's `forward`), while 阳城县
  // forwards to the second.
  Harness city;
  County a(city, "140521", "沁水县"), b(city, "140522", "阳城县");
  REQUIRE(a.k.dev->add_attendance(3000, a.now).ok());  // three uploads: three batches to race
  train_both(a, b, /*forward=*/false);
  auto store2 = city.open_another_store();
  REQUIRE(store2.ok());
  server::Service svc2(**store2, city.keys, city.clock);
  auto http2 = server::HttpServer::start(svc2, {});
  REQUIRE(http2.ok());
  server::Upstream a2 = a.up, b2 = b.up;
  a2.url = b2.url = (*http2)->url();
  std::vector<Result<server::ForwardReport>> got(3, Status(Code::kInternal, "not run"));
  {
    std::latch go(3);  // the three passes start together
    auto pass = [&](int i, County& c, const server::Upstream& up) {
      go.arrive_and_wait();
      got[static_cast<std::size_t>(i)] = server::forward_once(*c.h->store, up, c.h->clock);
    };
    std::thread t1(pass, 0, std::ref(a), std::cref(a.up));
    std::thread t2(pass, 1, std::ref(a), std::cref(a2));
    std::thread t3(pass, 2, std::ref(b), std::cref(b2));
    t1.join();
    t2.join();
    t3.join();
  }
  for (const auto& g : got) CHECK_MESSAGE(g.ok(), g.status().to_string());
  // Whatever raced, a pass now has nothing left to send, through either process.
  CHECK(server::forward_once(*a.h->store, a2, a.h->clock)->batches == 0);
  CHECK(server::forward_once(*b.h->store, b.up, b.h->clock)->batches == 0);
  CHECK(*city.store->records_of(a.k.id) == *a.h->store->records_of(a.k.id));
  CHECK(*(*store2)->records_of(b.k.id) == *b.h->store->records_of(b.k.id));
  // Each batch's proof is kept once.
  CHECK(city.store->proofs(a.k.id, 0, 100)->size() == a.h->store->proofs(a.k.id, 0, 100)->size());
  CHECK(city.store->records_of("county-140521")->size() ==
        a.h->store->records_of("county")->size());
  // Both processes read the same figures.
  for (server::ServerStore* s : {city.store.get(), store2->get()}) {
    stats::Report r;
    REQUIRE(s->model([&](server::ModelTx& tx) -> Status {
               CHZ_ASSIGN_OR_RETURN(r, stats::compute(tx.sql(), {"2026-01-01", "2026-03-31"}));
               return OkStatus();
             }).ok());
    CHECK(v(r.total, "trained_enrolments") == 3);
    CHECK(v(r.total, "trained_people") == 2);
  }
  (*http2)->stop();
}

TEST_CASE("province: a city forwards its counties upward the same way; the province counts once") {
  Harness province, city;
  server::Upstream city_up = enroll_upward(city, province, "140500", "晋城市");
  CHECK(city_up.identity == "county-140500");
  County a(city, "140521", "沁水县"), b(city, "140522", "阳城县");
  a.registry(kWang, "王龘", "2025-01-01");
  train_both(a, b);

  auto rep = server::forward_once(*city.store, city_up, city.clock);
  REQUIRE_MESSAGE(rep.ok(), rep.status().to_string());
  CHECK(rep->unproven.empty());
  CHECK(rep->batches >= 4);  // two kiosks' batches, two counties' own
  // Every kiosk's records verified back to the kiosk, kept under its own county.
  CHECK(*province.store->records_of(a.k.id) == *a.h->store->records_of(a.k.id));
  CHECK(province.store->device(a.k.id)->site == "140521/site-a");
  CHECK(province.store->device("county-140522")->site == "county:140522");
  CHECK(*province.store->records_of("county-140521") == *city.store->records_of("county-140521"));
  auto r = report(province, "2026-03-31", stats::Cut::kCounty);
  CHECK(v(r.total, "trained_enrolments") == 3);
  CHECK(v(r.total, "trained_people") == 2);
  CHECK(row(r, "140521").label == "沁水县");
  CHECK(v(row(r, "140522"), "trained_people") == 1);
  CHECK(v(report(province, "2026-03-31", stats::Cut::kTotal).total, "population") == 1);
  // Nothing twice.
  CHECK(server::forward_once(*city.store, city_up, city.clock)->batches == 0);
}

TEST_CASE("province: a server forwards only what lies below it") {
  using server::placed_site;
  CHECK(placed_site("140521", "kiosk-1", "site-a") == "140521/site-a");  // a county's kiosk
  CHECK(placed_site("140521", "kiosk-1", "140522/site-a").empty());      // a county has none below
  CHECK(placed_site("140521", "county-140522", "county:140522").empty());
  CHECK(placed_site("140521", "kiosk-1", "county:140521").empty());
  CHECK(placed_site("140500", "kiosk-1", "140521/site-a") == "140521/site-a");  // a city's county
  CHECK(placed_site("140500", "kiosk-1", "140621/site-a").empty());  // another city's county
  CHECK(placed_site("140500", "county-140521", "county:140521") == "county:140521");
  CHECK(placed_site("140500", "county-140621", "county:140621").empty());
  CHECK(placed_site("140500", "county-140521", "county:140522").empty());  // name and site differ
  CHECK(placed_site("140500", "county-140500", "county:140500").empty());  // itself
  CHECK(placed_site("140000", "kiosk-1", "140521/site-a") == "140521/site-a");  // a province
  CHECK(placed_site("140000", "county-140521", "county:140521") == "county:140521");
  CHECK(placed_site("140000", "kiosk-1", "150521/site-a").empty());
  CHECK(placed_site("140500", "countyx", "county:140521").empty());
  CHECK(server::placed_under("140500", "140521/site-a"));
  CHECK(server::placed_under("140500", "county:140522"));
  CHECK_FALSE(server::placed_under("140500", "140621/site-a"));
  CHECK(server::placed_under("140521", "140521/site-a"));
  CHECK_FALSE(server::placed_under("140521", "140522/site-a"));
}
