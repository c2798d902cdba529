// The county's statistics on a hand-checked fixture, through the real
// server and store (both backends: the _pg variant runs it on
// PostgreSQL): kiosks upload attendance, corrections, rosters, exams and
// certificates over HTTP; the county writes courses, classes, sessions,
// people, the registry and an imported certificate; every figure below is
// worked out by hand in the comments.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>
#include <random>

#include "sync/protocol/certificate.h"
#include "sync/protocol/idcard.h"
#include "sync/protocol/person_key.h"
#include "sync/protocol/wire.h"
#include "sync/server/county_data.h"
#include "sync/server/county_model.h"
#include "sync/server/indicators.h"
#include "sync/server/roster.h"
#include "tests/sync/harness.h"
#include "tests/sync/stats_helpers.h"

using namespace chz;
using namespace chz::synctest;
using nlohmann::json;
namespace stats = chz::server::stats;

namespace {

struct Fixture {
  Harness h;
  Kiosk a = h.kiosk("site-a"), b = h.kiosk("site-b");
  std::string p1, p2, p3, p4, p5;
  std::int64_t now = h.clock.now_ms();

  std::string key(const std::string& id) { return sync::person_key(h.keys.person_key, id); }
  void county(const std::string& site, const char* kind, const json& body) {
    REQUIRE(h.store->append_county({{site, kind, body.dump()}}, now).ok());
  }
  // Appends a record to kiosk `k` stamped `t`; returns its uuid.
  std::string rec(Kiosk& k, const char* kind, const json& body, std::int64_t t) {
    auto seq = k.dev->add_record(kind, body.dump(), t);
    REQUIRE(seq.ok());
    return sync::record_uuid(k.id, *seq, t);
  }
  std::string in_out(Kiosk& k, const char* session, const std::string& p, const char* day, int h1,
                     int m1, int h2, int m2) {
    rec(k, "attendance",
        {{"session", session},
         {"person", p},
         {"event", "in"},
         {"at_ms", at(day, h1, m1)},
         {"by", "self"}},
        at(day, h1, m1));
    return rec(k, "attendance",
               {{"session", session},
                {"person", p},
                {"event", "out"},
                {"at_ms", at(day, h2, m2)},
                {"by", "self"}},
               at(day, h2, m2));
  }
  void confirm(Kiosk& k, const char* session, const char* day, std::vector<std::string> present) {
    rec(k, "roster_confirm",
        {{"session", session}, {"by", "staff-1"}, {"at_ms", at(day, 23, 59)}, {"present", present}},
        at(day, 23, 59));
  }
  void sync(Kiosk& k) {
    auto st = sync_client::Client(k.cred, {}, h.clock).sync_once(*k.dev, *k.dev);
    REQUIRE_MESSAGE(st.ok(), st.to_string());
  }

  Fixture() {
    p1 = key(id_number("19800315", 2));  // 张𠮷, female, 46 on 2026-03-31
    p2 = key(id_number("19650331", 3));  // 李䶮, male, turns 61 on 2026-03-31
    p3 = key(id_number("19900101", 5));  // 王龘, male, 36, two key groups
    p4 = key(id_number("19700601", 6));  // 赵婧, registry only, an imported 三级 certificate
    p5 = key(id_number("19851111", 8));  // 孙燕, left the registry on 2026-02-01
    // Courses: C1 中式烹调师 五级 (等级), C2 中蜂养殖 专项; practical pass 60.
    for (const char* site : {"site-a", "site-b"}) {
      county(site, "course", cookery_course());
      county(site, "course",
             {{"entity", "course:c2"},
              {"name", "中蜂养殖"},
              {"occupation", "中蜂养殖"},
              {"level", 0},
              {"practical_pass", 60},
              {"theory_pass", 60}});
    }
    REQUIRE(server::add_class(*h.store, {"k1", "c1", "site-a", "烹调一班"}, now).ok());
    REQUIRE(server::add_class(*h.store, {"k2", "c2", "site-a", "养蜂班"}, now).ok());
    REQUIRE(server::add_class(*h.store, {"k3", "c1", "site-b", "烹调东岭班"}, now).ok());
    REQUIRE(server::add_session(*h.store, {"s1", "k1", "2026-01-10", "09:00", "11:00"}, now).ok());
    REQUIRE(server::add_session(*h.store, {"s2", "k1", "2026-03-05", "09:00", "11:00"}, now).ok());
    REQUIRE(server::add_session(*h.store, {"s3", "k2", "2026-03-06", "09:00", "12:00"}, now).ok());
    // 00:10 China time on 1 March is still 28 February in UTC.
    REQUIRE(server::add_session(*h.store, {"s4", "k3", "2026-03-01", "00:10", "00:50"}, now).ok());
    REQUIRE(server::add_session(*h.store, {"s5", "k1", "2026-03-20", "09:00", "11:00"}, now).ok());
    // The registry (its own feed), with dated membership.
    auto entry = [&](const std::string& p, const std::string& id, const char* name,
                     const char* employment, std::vector<std::string> groups) {
      county(std::string(server::model::kRegistryFeed), "registry_entry",
             {{"person", p},
              {"id_number", id},
              {"name", name},
              {"township", "城关镇"},
              {"village", "南关村"},
              {"phone", ""},
              {"employment", employment},
              {"groups", groups},
              {"from", "2025-01-01"},
              {"import", "t"}});
    };
    entry(p1, id_number("19800315", 2), "张𠮷", "employed", {});
    entry(p2, id_number("19650331", 3), "李䶮", "", {});
    entry(p3, id_number("19900101", 5), "王龘", "employed", {"退役军人", "下岗失业人员"});
    entry(p4, id_number("19700601", 6), "赵婧", "", {});
    entry(p5, id_number("19851111", 8), "孙燕", "", {});
    county(std::string(server::model::kRegistryFeed), "registry_leave",
           {{"person", p5}, {"to", "2026-02-01"}});
    county(std::string(server::model::kRegistryFeed), "held_certificate",
           {{"person", p4},
            {"kind", "等级"},
            {"occupation", "电工"},
            {"level", 3},
            {"number", "S000123"},
            {"date", "2019-05-01"},
            {"issuer", "晋城市职业技能鉴定中心"}});

    // Kiosk A (site-a): P1 s1 09:00-10:30 = 90, s2 120, s3 180.
    in_out(a, "s1", p1, "2026-01-10", 9, 0, 10, 30);
    in_out(a, "s2", p1, "2026-03-05", 9, 0, 11, 0);
    in_out(a, "s3", p1, "2026-03-06", 9, 0, 12, 0);
    // P2 s1 09:00-11:00, the check-out corrected to 10:00 = 60.
    std::string out = in_out(a, "s1", p2, "2026-01-10", 9, 0, 11, 0);
    rec(a, "attendance_correction",
        {{"corrects", out},
         {"at_ms", at("2026-01-10", 10, 0)},
         {"by", "staff-1"},
         {"reason", "提前离开"}},
        at("2026-01-10", 12, 0));
    // P2 in s5, whose roster is never confirmed: 0.
    in_out(a, "s5", p2, "2026-03-20", 9, 0, 11, 0);
    // P3 in s3 but the check-in is voided: 0.
    rec(a, "attendance",
        {{"session", "s3"},
         {"person", p3},
         {"event", "out"},
         {"at_ms", at("2026-03-06", 10, 30)},
         {"by", "self"}},
        at("2026-03-06", 10, 30));
    std::string wrong_in = rec(a, "attendance",
                               {{"session", "s3"},
                                {"person", p3},
                                {"event", "in"},
                                {"at_ms", at("2026-03-06", 9, 30)},
                                {"by", "self"}},
                               at("2026-03-06", 9, 31));
    rec(a, "attendance_correction",
        {{"corrects", wrong_in}, {"void", 1}, {"by", "staff-1"}, {"reason", "误签"}},
        at("2026-03-06", 13, 0));
    confirm(a, "s1", "2026-01-10", {p1, p2});
    confirm(a, "s2", "2026-03-05", {p1});
    confirm(a, "s3", "2026-03-06", {p1, p3});
    // Exams: P1 fails then passes C1 (theory 03-12), practical 75 on 03-11: passes 03-12.
    auto attempt = [&](Kiosk& k, const std::string& p, const char* cls, const char* day, int n,
                       bool passed) {
      rec(k, "exam_attempt",
          {{"attempt", fmt::format("{}-{}", p.substr(3, 6), n)},
           {"sitting", "x"},
           {"class", cls},
           {"course", "c1"},
           {"content_version", 1},
           {"person", p},
           {"attempt_no", n},
           {"started_ms", at(day, 9, 0)},
           {"submitted_ms", at(day, 10, 0)},
           {"reason", "manual"},
           {"theory_x100", passed ? 8000 : 4000},
           {"pass_x100", 6000},
           {"passed", passed ? 1 : 0},
           {"downtime_ms", 0},
           {"items", json::array()}},
          at(day, 10, 0));
    };
    auto practical = [&](Kiosk& k, const std::string& p, const char* day, int score,
                         const std::string& corrects) {
      return rec(k, "practical_score",
                 {{"id", p.substr(3, 6) + day},
                  {"person", p},
                  {"course", "c1"},
                  {"class", "k1"},
                  {"score_x100", score * 100},
                  {"assessor", "staff-2"},
                  {"second_assessor", ""},
                  {"at_ms", at(day, 15, 0)},
                  {"corrects", corrects}},
                 at(day, 15, 0));
    };
    attempt(a, p1, "k1", "2026-03-10", 1, false);
    attempt(a, p1, "k1", "2026-03-12", 2, true);
    practical(a, p1, "2026-03-11", 75, "");
    // P2 passes theory 03-10; practical 50, corrected to 65 on 03-15: passes 03-15.
    attempt(a, p2, "k1", "2026-03-10", 1, true);
    std::string first = practical(a, p2, "2026-03-10", 50, "");
    practical(a, p2, "2026-03-15", 65, first);
    // Certificates: P1's (confirmed by the county on 03-20), P2's (pending).
    for (const auto& [p, n] : {std::pair{p1, "CERT-P1"}, std::pair{p2, "CERT-P2"}})
      rec(a, "certificate",
          {{"number", n},
           {"person", p},
           {"course", "c1"},
           {"attempt", "x"},
           {"practical", "y"},
           {"canonical", "{}"},
           {"signature", ""},
           {"device", a.id}},
          at("2026-03-16", 10, 0));
    sync(a);
    // Kiosk B (site-b): P3 s4 00:10-00:50 = 40 (March, China time); fails C1 on 03-10.
    in_out(b, "s4", p3, "2026-03-01", 0, 10, 0, 50);
    confirm(b, "s4", "2026-03-01", {p3});
    attempt(b, p3, "k3", "2026-03-10", 1, false);
    sync(b);
    county("site-a", "certificate_confirm",
           {{"number", "CERT-P1"},
            {"status", "已确认"},
            {"at_ms", at("2026-03-20", 10, 0)},
            {"qual_kind", "职业技能等级证书"},
            {"qual_number", "Y1405000001"},
            {"reason", ""},
            {"v", 1},
            {"signature", ""}});
  }

  stats::Report report(const char* from, const char* to, stats::Cut by = stats::Cut::kTotal,
                       bool employed = false) {
    stats::Report r;
    auto st = h.store->model([&](server::ModelTx& tx) -> Status {
      CHZ_ASSIGN_OR_RETURN(r, stats::compute(tx.sql(), {from, to, by, employed}));
      return OkStatus();
    });
    REQUIRE_MESSAGE(st.ok(), st.to_string());
    return r;
  }
};

}  // namespace

TEST_CASE("county stats: the quarter's training, exams and certification match the hand count") {
  Fixture f;
  auto q = f.report("2026-01-01", "2026-03-31");
  const auto& t = q.total;
  // (person, class) with credit: P1-k1, P1-k2, P2-k1, P3-k3 = 4 人次; 3 人
  // (P1 trained in January and March counts once).
  CHECK(v(t, "trained_enrolments") == 4);
  CHECK(v(t, "trained_people") == 3);
  // 90 + 120 + 180 + 60 + 40 = 490 minutes = 10.9 学时 (45 min); s5 is unconfirmed.
  CHECK(v(t, "hours") == doctest::Approx(10.9));
  // Attempts: P1 twice, P2, P3 = 4; 3 people; passes: P1 (03-12), P2 (03-15).
  CHECK(v(t, "exam_attempts") == 4);
  CHECK(v(t, "exam_people") == 3);
  CHECK(v(t, "passed_people") == 2);
  CHECK(v(t, "pass_rate") == doctest::Approx(2.0 / 3));
  // Registry people aged 16-60 on 03-31: P1, P3, P4 (P2 turns 61 that day,
  // P5 left on 02-01). Certified: P1 (confirmed 03-20), P4 (imported).
  CHECK(v(t, "population") == 3);
  CHECK(v(t, "certified_people") == 2);
  CHECK(v(t, "cert_rate") == doctest::Approx(2.0 / 3));
  // 等级 holders P1 (五级) and P4 (三级): 中高级 (四级 or above) P4 only; 高技能 P4.
  CHECK(v(t, "mid_high_share") == doctest::Approx(0.5));
  CHECK(v(t, "high_skill") == 1);
  // First certificate in the quarter: P1 only (P4's is from 2019).
  CHECK(v(t, "new_certified") == 1);
}

TEST_CASE("county stats: periods, months and the day a person turns 61") {
  Fixture f;
  // January: P1-k1 and P2-k1, 90 + 60 = 150 minutes = 3.3 学时.
  auto jan = f.report("2026-01-01", "2026-01-31");
  CHECK(v(jan.total, "trained_enrolments") == 2);
  CHECK(v(jan.total, "hours") == doctest::Approx(3.3));
  // By month: s4 at 00:10 China time on 1 March counts in March.
  auto m = f.report("2026-01-01", "2026-03-31", stats::Cut::kMonth);
  CHECK(v(row(m, "2026-01"), "trained_enrolments") == 2);
  CHECK(v(row(m, "2026-02"), "trained_enrolments") <= 0);
  CHECK(v(row(m, "2026-03"), "trained_enrolments") == 3);  // P1-k1, P1-k2, P3-k3
  // On 03-30 P2 is still 60: population P1-P4, certified P1, P4.
  auto before = f.report("2026-03-01", "2026-03-30");
  CHECK(v(before.total, "population") == 4);
  CHECK(v(before.total, "cert_rate") == doctest::Approx(0.5));
  // Before the county confirmed P1's certificate only P4 holds one.
  auto early = f.report("2026-01-01", "2026-03-19");
  CHECK(v(early.total, "certified_people") == 1);
  CHECK(v(early.total, "new_certified") == 0);
}

TEST_CASE("county stats: cuts by site township, key group and employment") {
  Fixture f;
  auto tw = f.report("2026-01-01", "2026-03-31", stats::Cut::kTownship);
  // Sites: site-a in 城关镇 (P1-k1, P1-k2, P2-k1), site-b in 东岭乡 (P3-k3).
  CHECK(v(row(tw, "城关镇"), "trained_enrolments") == 3);
  CHECK(v(row(tw, "东岭乡"), "trained_enrolments") == 1);
  // Population by the person's registry township: all in 城关镇.
  CHECK(v(row(tw, "城关镇"), "population") == 3);
  // P3 is in two groups: counted in both; the total counts people once.
  auto g = f.report("2026-01-01", "2026-03-31", stats::Cut::kGroup);
  CHECK(v(row(g, "退役军人"), "trained_people") == 1);
  CHECK(v(row(g, "下岗失业人员"), "trained_people") == 1);
  CHECK(v(g.total, "trained_people") == 3);
  // 从业人员持证率: employed P1, P3; certified P1.
  auto emp = f.report("2026-01-01", "2026-03-31", stats::Cut::kTotal, true);
  CHECK(v(emp.total, "population") == 2);
  CHECK(v(emp.total, "cert_rate") == doctest::Approx(0.5));
  // By level: all training is on the 五级 course or the 专项 one.
  auto lv = f.report("2026-01-01", "2026-03-31", stats::Cut::kLevel);
  CHECK(row(lv, "5").label == "五级/初级工");
  CHECK(v(row(lv, "0"), "trained_enrolments") == 1);  // P1 in 养蜂班
}

TEST_CASE("county stats: verify agrees, reproject rebuilds the same model, freshness counts") {
  Fixture f;
  std::vector<std::string> diffs;
  std::vector<server::model::TableDiff> re;
  stats::Freshness fr;
  REQUIRE(f.h.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_ASSIGN_OR_RETURN(diffs, stats::verify(tx.sql(), {"2000-01-01", "2026-12-31"}));
                CHZ_ASSIGN_OR_RETURN(re, server::model::reproject(tx));
                CHZ_ASSIGN_OR_RETURN(fr, stats::freshness(tx.sql(), f.now));
                return OkStatus();
              })
              .ok());
  CHECK(diffs.empty());
  for (const auto& d : re) FAIL_CHECK(d.table << " differs after reproject");
  CHECK(fr.devices.size() == 2);
  CHECK(fr.silent == 0);
  CHECK(fr.pending_certificates == 1);  // CERT-P2
  // A tampered derived row is found by verify and put right by reproject.
  REQUIRE(f.h.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_TRY(tx.sql().exec("UPDATE cm_credit SET minutes = 5").status());
                CHZ_ASSIGN_OR_RETURN(diffs, stats::verify(tx.sql(), {"2000-01-01", "2026-12-31"}));
                CHZ_ASSIGN_OR_RETURN(re, server::model::reproject(tx));
                return OkStatus();
              })
              .ok());
  CHECK_FALSE(diffs.empty());
  REQUIRE(re.size() == 1);
  CHECK(re[0].table == "cm_credit");
  auto q = f.report("2026-01-01", "2026-03-31");
  CHECK(v(q.total, "hours") == doctest::Approx(10.9));
}

TEST_CASE("county stats: the pre-aggregated facts give the base rows' figures for any period") {
  Fixture f;
  auto verify = [&](const char* from, const char* to) {
    std::vector<std::string> diffs;
    REQUIRE(f.h.store
                ->model([&](server::ModelTx& tx) -> Status {
                  CHZ_ASSIGN_OR_RETURN(diffs, stats::verify(tx.sql(), {from, to}));
                  return OkStatus();
                })
                .ok());
    return diffs;
  };
  // Whole months, parts of months at either end or both, one day, across a
  // year's end, and a period inside one month.
  for (auto [from, to] :
       std::vector<std::pair<const char*, const char*>>{{"2026-01-01", "2026-03-31"},
                                                        {"2026-01-11", "2026-03-05"},
                                                        {"2026-01-10", "2026-03-31"},
                                                        {"2026-01-01", "2026-03-04"},
                                                        {"2025-12-20", "2026-03-01"},
                                                        {"2026-03-01", "2026-03-01"},
                                                        {"2026-03-02", "2026-03-19"},
                                                        {"2026-02-01", "2026-02-28"},
                                                        {"2026-01-31", "2026-03-01"}}) {
    auto diffs = verify(from, to);
    for (const auto& d : diffs) INFO(d);
    CHECK_MESSAGE(diffs.empty(),
                  (std::string(from) + " to " + to + ": " + (diffs.empty() ? "" : diffs[0])));
  }
  // The facts are read, not the base rows: January's minutes live in the
  // month row for a January report, and P1's first certificate day in
  // cm_held_first.
  auto jan = f.report("2026-01-01", "2026-01-31");
  REQUIRE(f.h.store
              ->model([](server::ModelTx& tx) -> Status {
                CHZ_TRY(tx.sql()
                            .exec("UPDATE cm_credit_month SET minutes = minutes + 45 WHERE month "
                                  "= '2026-01'")
                            .status());
                return tx.sql().exec("UPDATE cm_held_first SET any_day = '2026-04-01'").status();
              })
              .ok());
  auto tampered = f.report("2026-01-01", "2026-01-31");
  CHECK(v(tampered.total, "hours") > v(jan.total, "hours"));
  CHECK(v(f.report("2026-01-01", "2026-03-31").total, "certified_people") == 0);
  // Which verify finds, and reproject puts right.
  auto diffs = verify("2026-01-01", "2026-03-31");
  bool month = false, first = false;
  for (const auto& d : diffs) {
    month = month || d.find("cm_credit_month") != std::string::npos;
    first = first || d.find("cm_held_first") != std::string::npos;
  }
  CHECK(month);
  CHECK(first);
  std::vector<server::model::TableDiff> re;
  REQUIRE(f.h.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_ASSIGN_OR_RETURN(re, server::model::reproject(tx));
                return OkStatus();
              })
              .ok());
  CHECK(re.size() == 2);
  CHECK(verify("2026-01-01", "2026-03-31").empty());
  CHECK(v(f.report("2026-01-01", "2026-01-31").total, "hours") == v(jan.total, "hours"));
}

TEST_CASE("county stats: a session moved to another class moves its minutes in the facts") {
  Fixture f;
  // s2 (5 March, P1 90 minutes) moves from 烹调一班 (k1) to 养蜂班 (k2).
  auto before = f.report("2026-03-01", "2026-03-31", stats::Cut::kClass);
  REQUIRE(server::add_session(*f.h.store, {"s2", "k2", "2026-03-05", "09:00", "11:00"}, f.now + 1)
              .ok());
  auto after = f.report("2026-03-01", "2026-03-31", stats::Cut::kClass);
  CHECK(v(row(after, "k1"), "hours") < v(row(before, "k1"), "hours"));
  CHECK(v(row(after, "k2"), "hours") > v(row(before, "k2"), "hours"));
  std::vector<std::string> diffs;
  REQUIRE(f.h.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_ASSIGN_OR_RETURN(diffs, stats::verify(tx.sql(), {"2026-01-01", "2026-12-31"}));
                return OkStatus();
              })
              .ok());
  for (const auto& d : diffs) INFO(d);
  CHECK(diffs.empty());
}

TEST_CASE("county stats: records projected in any order give the same model") {
  Fixture f;
  // Every stored record, projected again one at a time in shuffled orders.
  std::vector<server::StoredRecord> all;
  std::vector<std::string> reference, shuffled;
  auto dump = [&](server::Sql& sql, std::vector<std::string>* out) -> Status {
    out->clear();
    for (const char* t : {"cm_credit", "cm_passes", "cm_held", "cm_people", "cm_person_groups",
                          "cm_registry", "cm_credit_month", "cm_held_first"}) {
      CHZ_ASSIGN_OR_RETURN(auto rows, sql.query(std::string("SELECT * FROM ") + t));
      for (const auto& r : rows) {
        std::string line = t;
        for (std::size_t i = 0; i < r.v.size(); ++i) line += "|" + r.text(i);
        out->push_back(line);
      }
    }
    std::sort(out->begin(), out->end());
    return OkStatus();
  };
  REQUIRE(f.h.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_TRY(tx.records_after(0, 1'000'000, &all).status());
                return dump(tx.sql(), &reference);
              })
              .ok());
  REQUIRE(all.size() > 40);
  std::mt19937 rng(7);
  for (int round = 0; round < 3; ++round) {
    std::shuffle(all.begin(), all.end(), rng);
    REQUIRE(f.h.store
                ->model([&](server::ModelTx& tx) -> Status {
                  for (const auto& t : server::model::tables())
                    CHZ_TRY(tx.sql().exec("DELETE FROM " + t).status());
                  for (const auto& r : all) CHZ_TRY(server::model::project(tx.sql(), {r}));
                  CHZ_TRY(dump(tx.sql(), &shuffled));
                  return Status(Code::kFailedPrecondition,
                                "roll back");  // leave the store as it was
                })
                .code() == Code::kFailedPrecondition);
    std::vector<std::string> only_ref, only_shuffled;
    std::set_difference(reference.begin(), reference.end(), shuffled.begin(), shuffled.end(),
                        std::back_inserter(only_ref));
    std::set_difference(shuffled.begin(), shuffled.end(), reference.begin(), reference.end(),
                        std::back_inserter(only_shuffled));
    for (const auto& l : only_ref) INFO("in order only: " << l);
    for (const auto& l : only_shuffled) INFO("shuffled only: " << l);
    CHECK_MESSAGE(only_ref.empty(), only_ref.front());
    CHECK_MESSAGE(only_shuffled.empty(), only_shuffled.front());
  }
}

TEST_CASE("county stats: a kiosk cannot confirm certificates or write the registry") {
  Fixture f;
  // A kiosk sends what only the county may say: a confirmation of P2's
  // certificate, and a registry entry for someone aged 30.
  f.rec(f.a, "certificate_confirm",
        {{"number", "CERT-P2"},
         {"status", "已确认"},
         {"at_ms", at("2026-03-21", 10, 0)},
         {"qual_kind", ""},
         {"qual_number", ""},
         {"reason", ""},
         {"v", 1},
         {"signature", ""}},
        at("2026-03-21", 10, 0));
  std::string forged = id_number("19960101", 9);
  f.rec(
      f.a, "registry_entry",
      {{"person", f.key(forged)}, {"id_number", forged}, {"name", "冒名"}, {"from", "2025-01-01"}},
      at("2026-03-21", 10, 0));
  f.sync(f.a);
  auto q = f.report("2026-01-01", "2026-03-31");
  CHECK(v(q.total, "population") == 3);        // unchanged
  CHECK(v(q.total, "certified_people") == 2);  // P2 is not counted
  stats::Freshness fr;
  REQUIRE(f.h.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_ASSIGN_OR_RETURN(fr, stats::freshness(tx.sql(), f.now));
                return OkStatus();
              })
              .ok());
  CHECK(fr.pending_certificates == 1);  // CERT-P2 still waits for the county
}

TEST_CASE("county stats: a class's subsidy roster lists hours, results and certificates") {
  Fixture f;
  for (const auto& p : {f.p1, f.p2})
    f.county("site-a", "enrolment",
             {{"entity", "enrolment:k1:" + p}, {"class", "k1"}, {"person", p}, {"active", 1}});
  server::ReportTable t;
  REQUIRE(f.h.store
              ->model([&](server::ModelTx& tx) -> Status {
                CHZ_ASSIGN_OR_RETURN(t, server::class_roster(tx.sql(), "k1", 45, "沁水县", "x"));
                return OkStatus();
              })
              .ok());
  REQUIRE(t.rows.size() == 2);
  // Sorted by name: 张𠮷 (P1) before 李䶮 (P2) in code-point order.
  auto text = [](const server::ReportCell& c) { return std::get<std::string>(c); };
  auto num = [](const server::ReportCell& c) { return std::get<double>(c); };
  const auto& p1 = text(t.rows[0][0]) == "张𠮷" ? t.rows[0] : t.rows[1];
  const auto& p2 = text(t.rows[0][0]) == "张𠮷" ? t.rows[1] : t.rows[0];
  CHECK(text(p1[2]) == "1405**********" + id_number("19800315", 2).substr(14));
  CHECK(num(p1[3]) == doctest::Approx(4.6));  // k1 theory: 90 + 120 minutes (s3 is k2)
  CHECK(num(p1[5]) == doctest::Approx(80.0));
  CHECK(text(p1[7]) == "合格");
  CHECK(text(p1[8]) == "CERT-P1");
  CHECK(text(p1[9]) == "已确认");
  CHECK(num(p2[3]) == doctest::Approx(1.3));   // 60 minutes
  CHECK(num(p2[6]) == doctest::Approx(65.0));  // the corrected practical score
  CHECK(text(p2[9]) == "待确认");
  CHECK(server::check_report_table(t).ok());
  // An unknown class is refused by name.
  auto st = f.h.store->model([&](server::ModelTx& tx) {
    return server::class_roster(tx.sql(), "nope", 45, "", "").status();
  });
  CHECK(st.key() == "roster.unknown_class");
}

TEST_CASE("county stats: enrolment refuses a key group outside the programme's ten") {
  Harness h;
  REQUIRE(server::add_class(*h.store, {"k1", "c1", "site-a", "烹调一班"}, h.clock.now_ms()).ok());
  auto st = server::enrol_person(
      *h.store, h.keys, "k1",
      {id_number("19800315", 2), "张𠮷", "城关镇", "南关村", "", {"退役军人", "rural_labour"}},
      h.clock.now_ms());
  CHECK(st.key() == "person.group");
  CHECK(st.message().find("退役军人") != std::string::npos);  // the message lists the ten
  CHECK(
      server::enrol_person(*h.store, h.keys, "k1",
                           {id_number("19800315", 2), "张𠮷", "城关镇", "南关村", "", {"退役军人"}},
                           h.clock.now_ms())
          .ok());
}
