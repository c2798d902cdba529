// demo-seed: the fictional demo county of sync/protocol/demo_population.h
// (townships, sites, staff, 300 people) with classes on the demo courses,
// sixteen weeks of sessions and attendance history, exams and practical
// scores from a demo kiosk per site, and the labour registry with
// certificates held from before. Deterministic for a seed (except key material).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>

#include "content/source.h"
#include "sync/protocol/certificate.h"
#include "sync/protocol/demo_population.h"
#include "sync/protocol/person_key.h"
#include "sync/protocol/record_kinds.h"
#include "sync/protocol/wire.h"
#include "sync/server/county_data.h"
#include "sync/server/county_model.h"

namespace chz::server {
using nlohmann::json;

Status demo_seed(ServerStore& s, const CountyKeys& k, const std::string& courses_dir,
                 std::int64_t now, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> courses;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(courses_dir, ec))
    if (std::filesystem::exists(e.path() / "course.toml"))
      courses.push_back(e.path().filename().string());
  std::sort(courses.begin(), courses.end());
  if (courses.empty()) return Status(Code::kNotFound, "no demo courses under " + courses_dir);
  const std::int64_t day = 24LL * 3600 * 1000;
  const std::int64_t start = now - 120 * day;
  // Sites, staff and people come from the shared demo population, so the
  // county and `kioskctl demo-fill` describe the same fictional county.
  auto sites = sync::demo::sites();
  for (const auto& site : sites) CHZ_TRY(s.add_site(site.id, site.name, site.township));
  std::map<std::string, std::string> course_names;  // id -> 课程名称, for class names
  for (const auto& c : courses) {
    auto dir = (std::filesystem::path(courses_dir) / c).string();
    auto id = publish_course(s, k, dir, now);
    if (!id.ok()) return id.status();
    auto src = content::read_source(dir);
    course_names[c] = src.ok() ? src->course.name : c;
  }
  auto staff = sync::demo::staff(seed);
  for (const auto& st : staff) CHZ_TRY(add_staff(s, {st.id, st.name, st.role, st.site, ""}, start));
  auto people = sync::demo::people(seed, 300, china_date(now));
  for (std::size_t si = 0; si < sites.size(); ++si) {
    const auto& site = sites[si];
    std::vector<std::string> trainers;
    for (const auto& st : staff)
      if (st.site == site.id && st.role == "trainer") trainers.push_back(st.id);
    std::string course = courses[si % courses.size()];
    std::string cls = fmt::format("class-{}-1", site.id);
    CHZ_TRY(add_class(
        s, {cls, course, site.id, site.name + "·" + course_names[course] + "培训班", 40, trainers},
        start));
    std::vector<std::string> sessions;
    for (int w = 0; w < 16; ++w) {
      std::int64_t at = start + w * 7 * day;
      std::string sid = fmt::format("session-{}-{:02}", site.id, w + 1);
      sessions.push_back(sid);
      CHZ_TRY(add_session(s,
                          {sid, cls, format_date(china_date(at)), "19:00", "21:00",
                           w % 3 == 2 ? "practical" : "theory"},
                          start));
    }
    {
      // Today's session, running now, so a freshly enrolled demo kiosk has
      // something to open and check in to.
      int from = std::max(0, china_minute_of_day(now) - 30);
      int to = std::min(23 * 60 + 59, from + 180);
      CHZ_TRY(
          add_session(s,
                      {fmt::format("session-{}-today", site.id), cls, format_date(china_date(now)),
                       fmt::format("{:02}:{:02}", from / 60, from % 60),
                       fmt::format("{:02}:{:02}", to / 60, to % 60), "theory"},
                      start));
    }
    std::vector<std::string> keys;
    for (std::size_t p = si; p < people.size(); p += sites.size()) {
      const auto& dp = people[p];
      CHZ_TRY(enrol_person(
          s, k, cls, {dp.id_number, dp.name, dp.township, dp.village, dp.phone, dp.groups}, start));
      keys.push_back(sync::person_key(k.person_key, dp.id_number));
    }
    // History: a demo kiosk at the site checked people in and out.
    std::string dev = fmt::format("kiosk-demo-{}", site.id);
    auto code = issue_code(s, site.id, day, now);
    if (!code.ok()) return code.status();
    std::string norm = sync::api::normalize_code(*code);
    auto kp = ed25519_generate();
    CHZ_TRY(s.enroll_device(sync::api::code_id(norm), now,
                            {dev, site.id, kp.pub, kp.pub, false, 0, now})
                .status());
    std::vector<sync::Record> recs;
    std::int64_t seq = 0;
    auto fact = [&](std::string_view kind, std::int64_t at, json body) {
      sync::Record r;
      r.meta = {sync::record_uuid(dev, ++seq, at), dev, seq, {at, 0}, at, 0};
      r.kind = std::string(kind);
      r.body = body.dump();
      recs.push_back(std::move(r));
    };
    const std::string trainer = trainers.empty() ? std::string("staff-demo") : trainers.front();
    for (std::size_t w = 0; w < sessions.size(); ++w) {
      // 19:00 China time on the session's day.
      std::int64_t t0 =
          china_midnight_ms(china_date(start + static_cast<std::int64_t>(w) * 7 * day)) +
          19 * 3600 * 1000;
      // The trainer opens the session, people check in and out, and at the
      // close the trainer confirms the roster: only then do the hours count.
      fact(sync::kinds::kSessionOpen, t0 - 600000,
           {{"session", sessions[w]}, {"by", trainer}, {"at_ms", t0 - 600000}});
      json present = json::array();
      for (const auto& key : keys) {
        if (rng() % 5 == 0) continue;  // absent
        present.push_back(key);
        for (const char* ev : {"in", "out"}) {
          std::int64_t at =
              t0 + (ev[0] == 'o' ? 2 * 3600 * 1000 : 0) + static_cast<std::int64_t>(rng() % 600000);
          fact(sync::kinds::kAttendance, at,
               {{"session", sessions[w]},
                {"person", key},
                {"event", ev},
                {"at_ms", at},
                {"by", "self"}});
        }
      }
      std::int64_t close = t0 + 2 * 3600 * 1000 + 900000;
      fact(sync::kinds::kRosterConfirm, close,
           {{"session", sessions[w]},
            {"by", trainer},
            {"at_ms", close},
            {"present", present},
            {"credit_to_close", json::array()},
            {"no_checkout", json::array()}});
    }
    // A week after the last session the trainees who came sit the theory
    // exam (some fail and retake it two days later) and the practical.
    std::int64_t exam_day = china_midnight_ms(china_date(start + 16 * 7 * day)) + 9 * 3600 * 1000;
    int n_attempt = 0;
    for (const auto& key : keys) {
      if (rng() % 4 == 0) continue;  // did not sit
      bool fail_first = rng() % 5 == 0;
      for (int attempt = 1; attempt <= (fail_first ? 2 : 1); ++attempt) {
        std::int64_t at = exam_day + (attempt - 1) * 2 * day + (rng() % 3600000);
        bool passed = !(fail_first && attempt == 1);
        std::int64_t score = passed ? 6000 + static_cast<std::int64_t>(rng() % 4000)
                                    : 3000 + static_cast<std::int64_t>(rng() % 2900);
        fact(sync::kinds::kExamAttempt, at,
             {{"attempt", fmt::format("{}-attempt-{}", dev, ++n_attempt)},
              {"sitting", fmt::format("{}-sitting-{}", dev, attempt)},
              {"class", cls},
              {"course", course},
              {"content_version", 1},
              {"person", key},
              {"attempt_no", attempt},
              {"started_ms", at - 3600000},
              {"submitted_ms", at},
              {"reason", "manual"},
              {"theory_x100", score},
              {"pass_x100", 6000},
              {"passed", passed ? 1 : 0},
              {"downtime_ms", 0},
              {"items", json::array()}});
      }
      std::int64_t pat = exam_day + day;
      fact(sync::kinds::kPracticalScore, pat,
           {{"id", fmt::format("{}-practical-{}", dev, n_attempt)},
            {"person", key},
            {"course", course},
            {"class", cls},
            {"score_x100", 5000 + static_cast<std::int64_t>(rng() % 5000)},
            {"assessor", trainer},
            {"second_assessor", ""},
            {"at_ms", pat},
            {"corrects", ""}});
    }
    auto d = s.device(dev);
    if (!d.ok()) return d.status();
    auto cur = s.ingest(*d, recs, now);
    if (!cur.ok()) return cur.status();
  }
  // The labour registry: the trainees and 700 more working-age people, some
  // holding certificates from before Chizheng (the city's 2020 baseline
  // was 36.9 % 持证率), on the registry feed no kiosk receives.
  auto others = sync::demo::people(seed + 1, 700, china_date(now));
  std::vector<CountyWrite> reg;
  std::string reg_feed(model::kRegistryFeed);
  std::string since = format_date(china_date(start - 365 * day));
  static constexpr const char* kOccupations[] = {"中式烹调师", "电工", "育婴员", "农业技术员"};
  int n = 0;
  for (const auto* group : {&people, &others}) {
    for (const auto& dp : *group) {
      std::string key = sync::person_key(k.person_key, dp.id_number);
      json groups = json::array();
      for (const auto& g : dp.groups) groups.push_back(g);
      ++n;
      reg.push_back({reg_feed, std::string(model::kRegistryEntry),
                     json{{"person", key},
                          {"id_number", dp.id_number},
                          {"name", dp.name},
                          {"township", dp.township},
                          {"village", dp.village},
                          {"phone", dp.phone},
                          {"employment", n % 3 == 0 ? "unemployed" : "employed"},
                          {"groups", groups},
                          {"from", since},
                          {"import", "demo"}}
                         .dump()});
      if (rng() % 100 < 33) {
        int level = static_cast<int>(rng() % 6);  // 0 = 专项
        reg.push_back({reg_feed, std::string(model::kHeldCertificate),
                       json{{"person", key},
                            {"kind", level == 0 ? "专项" : "等级"},
                            {"occupation", kOccupations[rng() % 4]},
                            {"level", level},
                            {"number", fmt::format("DEMO{:08}", n)},
                            {"date", format_date(china_date(start - (rng() % 1500) * day))},
                            {"issuer", "示范市职业技能鉴定中心"}}
                           .dump()});
      }
    }
  }
  return s.append_county(reg, now);
}

}  // namespace chz::server
