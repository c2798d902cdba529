#include "kiosk/demo_fill.h"

#include <fmt/format.h>

#include "kiosk/attendance.h"
#include "kiosk/classes.h"
#include "kiosk/domain_write.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/people.h"
#include "sync/protocol/demo_population.h"
#include "sync/protocol/record_kinds.h"

namespace chz::kiosk {

namespace k = sync::kinds;
namespace demo = sync::demo;

namespace {

constexpr std::int64_t kMin = 60'000;

// The demo courses' facts (content/courses/*/course.toml).
std::vector<content::Course> demo_courses() {
  auto c = [](std::string id, std::string name, std::string occ, std::string code, content::Level l,
              int th, int pr) {
    content::Course x;
    x.id = std::move(id);
    x.name = std::move(name);
    x.occupation = std::move(occ);
    x.occupation_code = std::move(code);
    x.level = l;
    x.theory_hours = th;
    x.practical_hours = pr;
    return x;
  };
  using L = content::Level;
  return {c("zhongfeng-yangzhi", "中蜂养殖", "中蜂养殖", "", L::kSpecial, 24, 16),
          c("lianqiao-zhongzhi", "连翘种植", "连翘种植", "", L::kSpecial, 20, 20),
          c("chache-siji", "叉车司机", "叉车司机", "", L::kLevel5, 24, 40),
          c("jiazheng-fuwuyuan", "家政服务员（五级/初级工）", "家政服务员", "4-10-01-06",
            L::kLevel5, 40, 40)};
}

struct Day {
  FakeClock& c;
  CivilDate d;
  void at(int h, int m) {
    std::int64_t t = china_midnight_ms(d) + (h * 60 + m) * kMin;
    if (t > c.now_ms()) c.set(t);
  }
};

}  // namespace

Result<DemoFillReport> fill_demo(Db& db, const Clock& clock, const DemoFillOptions& o) {
  CHZ_ASSIGN_OR_RETURN(std::int64_t have,
                       db.query_int("SELECT count(*) FROM staff WHERE id LIKE 'demo-staff-%'"));
  if (have) return Status(Code::kAlreadyExists, "this store already holds demo data");
  DemoFillReport rep;
  CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
  CivilDate today = china_date(now);
  std::int64_t first_day = days_from_civil(today) - o.days_back;
  // The replay clock starts at 07:00 of the first day, in device time.
  CHZ_ASSIGN_OR_RETURN(std::int64_t offset, server_offset(db));
  FakeClock fc(china_midnight_ms(civil_from_days(first_day)) + 7 * 60 * kMin - offset);

  if (!county_key(db).ok()) CHZ_TRY(set_county_key(db, sha256("chizheng demo county 140521")));
  for (const auto& c : demo_courses()) CHZ_TRY(upsert_course(db, c));

  // Staff of one site: county-made records, with the demo PIN already set.
  std::vector<Actor> trainers;
  Actor admin;
  std::string pin_hash = k::hash_staff_secret(o.pin, o.pin_iterations);
  for (const auto& s : demo::staff(o.seed)) {
    if (s.site != o.site) continue;
    CHZ_ASSIGN_OR_RETURN(Role role, parse_role(s.role));
    nlohmann::json body = {{"entity", k::entity(k::kStaff, s.id)},
                           {"name", s.name},
                           {"role", s.role},
                           {"site", s.site},
                           {"active", 1},
                           {"pin", pin_hash},
                           {"setup_code", ""},
                           {"deleted", 0}};
    CHZ_TRY(db.transaction([&] {
      return write_record(db, fc, Actor::system(), k::kStaff, body, "demo.staff", {{"staff", s.id}})
          .status();
    }));
    if (role == Role::kTrainer) trainers.push_back({role, s.id});
    if (role == Role::kSiteAdmin) admin = {role, s.id};
    rep.staff_lines.push_back(fmt::format("{}  {}  {}", s.name, s.role, s.id));
    ++rep.staff;
  }
  if (trainers.size() < 2 || admin.id.empty())
    return Status(Code::kNotFound, "unknown demo site " + o.site);

  // A replay that starts before this build's date needs the time confirmed
  // (as a trainer would); the confirmation is cleared after the replay.
  CHZ_ASSIGN_OR_RETURN(TimeStatus ts, time_status(db, fc));
  if (!ts.trusted()) CHZ_TRY(confirm_time(db, fc, admin));

  std::string site_name;
  for (const auto& s : demo::sites())
    if (s.id == o.site) site_name = s.name;
  CHZ_ASSIGN_OR_RETURN(
      std::string bees,
      create_class(
          db, fc, admin,
          {"zhongfeng-yangzhi", o.site, site_name + "·中蜂养殖培训班", 40, {trainers[0].id}}));
  CHZ_ASSIGN_OR_RETURN(
      std::string forsythia,
      create_class(
          db, fc, admin,
          {"lianqiao-zhongzhi", o.site, site_name + "·连翘种植培训班", 40, {trainers[1].id}}));
  rep.classes = 2;

  std::vector<std::string> group_a, group_b;
  // Registered at the replay's start: aged 16-60 on its first day.
  auto people = demo::people(o.seed, o.people, civil_from_days(first_day));
  for (std::size_t i = 0; i < people.size(); ++i) {
    const auto& p = people[i];
    auto key = register_person(db, fc, trainers[0],
                               {p.id_number, p.name, p.township, p.village, p.phone, p.groups});
    if (!key.ok()) return key.status();
    ++rep.people;
    bool a = i % 2 == 0;
    CHZ_TRY(enrol(db, fc, a ? trainers[0] : trainers[1], a ? bees : forsythia, *key));
    (a ? group_a : group_b).push_back(*key);
  }

  demo::DemoRng rng(o.seed * 31 + 7);
  struct Plan {
    std::string cls;
    Actor trainer;
    const std::vector<std::string>* people;
    int start, end;  // minutes of day
  };
  std::vector<Plan> plans = {{bees, trainers[0], &group_a, 9 * 60, 11 * 60 + 15},
                             {forsythia, trainers[1], &group_b, 14 * 60, 16 * 60 + 15}};
  for (std::int64_t day = first_day; day <= days_from_civil(today); ++day) {
    CivilDate d = civil_from_days(day);
    bool practical = (day % 3) == 0;
    for (const auto& pl : plans) {
      SessionKind kind = practical ? SessionKind::kPractical : SessionKind::kTheory;
      CHZ_ASSIGN_OR_RETURN(std::string s,
                           add_session(db, fc, pl.trainer, {pl.cls, d, pl.start, pl.end, kind}));
      ++rep.sessions;
      if (day == days_from_civil(today)) continue;  // today's: left for the live demo
      Day t{fc, d};
      t.at(pl.start / 60, pl.start % 60 - 5);
      CHZ_TRY(open_session(db, fc, pl.trainer, s));
      std::vector<std::string> came;
      for (const auto& p : *pl.people) {
        if (!rng.chance(85)) continue;
        came.push_back(p);
      }
      // Arrivals spread over the first 20 minutes, in order.
      for (std::size_t i = 0; i < came.size(); ++i) {
        t.at(pl.start / 60,
             pl.start % 60 - 5 + static_cast<int>(i * 25 / std::max<std::size_t>(came.size(), 1)));
        Actor who = rng.chance(70) ? Actor::trainee(came[i]) : pl.trainer;
        CHZ_TRY(check_in(db, fc, who, s, came[i]).status());
        ++rep.attendance_events;
      }
      for (std::size_t i = 0; i < came.size(); ++i) {
        if (rng.chance(6)) continue;  // forgot to check out
        t.at(pl.end / 60,
             pl.end % 60 - 10 + static_cast<int>(i * 15 / std::max<std::size_t>(came.size(), 1)));
        CHZ_TRY(check_out(db, fc, Actor::trainee(came[i]), s, came[i]).status());
        ++rep.attendance_events;
      }
      t.at(pl.end / 60, pl.end % 60 + 6);
      CHZ_TRY(close_session(db, fc, pl.trainer, s, {MissingCheckout::kCreditToClose, {}}).status());
    }
  }
  CHZ_TRY(
      db.exec("DELETE FROM settings WHERE key IN ('time.confirmed_hlc_ms', "
              "'time.confirmed_before_build')"));
  return rep;
}

}  // namespace chz::kiosk
