#include "tests/ui/ui_fixture_data.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "common/fs.h"
#include "content/install.h"
#include "content/package.h"
#include "content/source.h"
#include "kiosk/attendance.h"
#include "kiosk/classes.h"
#include "kiosk/exam_practical.h"
#include "kiosk/exam_session.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/people.h"
#include "kiosk/staff.h"
#include "kiosk/views/site_view.h"
#include "sync/protocol/idcard.h"

namespace chz::test_ui {

namespace {
constexpr std::int64_t kMin = 60'000;

std::string id_number(int year, int month, int day, int seq) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "140521%04d%02d%02d%03d", year, month, day, seq);
  std::string s(buf);
  return s + sync::id_check_char(s);
}

// The demo course's real lessons, with a small bank of 判断 questions whose
// answer is always 对, so a script can pass the exam without knowing the bank.
Result<content::SourceCourse> demo_course() {
  const char* src = std::getenv("CHZ_SOURCE_DIR");
  std::filesystem::path root = src ? src : ".";
  CHZ_ASSIGN_OR_RETURN(content::SourceCourse sc,
                       content::read_source(root / "content/courses/zhongfeng-yangzhi"));
  content::Course& c = sc.course;
  c.theory_hours = 1;
  c.practical_hours = 1;
  c.bank.clear();
  const char* stems[] = {"蜂王是蜂群中唯一正常产卵的雌性蜂。", "工蜂负责采集花蜜和花粉。",
                         "检查蜂箱时应穿戴防护服和面网。",     "中蜂适合在山区林地饲养。",
                         "分蜂是蜂群自然繁殖的方式。",         "取蜜后要及时清洁摇蜜机。"};
  int n = 0;
  for (const char* s : stems) {
    content::Question q;
    q.id = "t" + std::to_string(++n);
    q.type = content::QuestionType::kTrueFalse;
    q.chapter = "蜂群管理";
    q.stem = s;
    q.truth = true;
    q.explanation = "见课件。";
    q.image = "media/chaopi.png";  // every question shows the comb picture (issue: pictures drawn)
    c.bank.push_back(q);
  }
  c.blueprint.items = {{content::QuestionType::kTrueFalse, "", 5, 20}};
  c.blueprint.time_limit_minutes = 30;
  c.blueprint.pass_mark = 60;
  c.blueprint.max_attempts = 3;
  return sc;
}

// A session of `minutes` starting at `start_ms`, attended by `person`,
// then closed and confirmed by the trainer.
Status attended_session(kiosk::Store& st, FakeClock& clock, const kiosk::Actor& trainer,
                        const std::string& cls, const std::string& person, std::int64_t start_ms,
                        int minutes, kiosk::SessionKind kind) {
  Db& db = st.db();
  CivilDate d = china_date(start_ms);
  int sm = china_minute_of_day(start_ms);
  CHZ_ASSIGN_OR_RETURN(std::string sid,
                       kiosk::add_session(db, clock, trainer, {cls, d, sm, sm + minutes, kind}));
  clock.set(start_ms);
  CHZ_TRY(kiosk::open_session(db, clock, trainer, sid));
  CHZ_ASSIGN_OR_RETURN(auto in, kiosk::check_in(db, clock, trainer, sid, person));
  (void)in;
  clock.set(start_ms + minutes * kMin);
  CHZ_ASSIGN_OR_RETURN(auto out, kiosk::check_out(db, clock, trainer, sid, person));
  (void)out;
  CHZ_ASSIGN_OR_RETURN(auto closed, kiosk::close_session(db, clock, trainer, sid, {}));
  (void)closed;
  return OkStatus();
}
}  // namespace

Status fill(kiosk::Store& store, const Clock& real, bool open_today) {
  Db& db = store.db();
  const std::int64_t now = real.now_ms();
  CHZ_TRY(store.set_setting(kiosk::views::kEnrollSiteId, "site-qinshui-longgang"));
  CHZ_TRY(store.set_setting(kiosk::views::kEnrollSiteName, "沁水县龙港镇农民夜校"));
  Key32 county{};
  county[0] = 0x5a;
  CHZ_TRY(kiosk::set_county_key(db, county));

  // Course package, signed and installed as the content helper's tools would.
  CHZ_ASSIGN_OR_RETURN(content::SourceCourse src, demo_course());
  auto kp = ed25519_generate();
  CHZ_ASSIGN_OR_RETURN(std::string pkg, content::build_package(src, kp.secret));
  auto pkg_file = store.dir() / "demo-course.chzpkg";
  CHZ_TRY(write_file_atomic(pkg_file, pkg));
  CHZ_ASSIGN_OR_RETURN(auto inst, content::install_package(store.dir(), pkg_file, {kp.pub}));
  (void)inst;
  std::filesystem::remove(pkg_file);
  CHZ_TRY(kiosk::upsert_course(db, src.course));

  // Staff: set up two days ago with a clock the trainer confirms.
  FakeClock clock(now - 2 * kDayMs);
  kiosk::PinPolicy pins;
  CHZ_ASSIGN_OR_RETURN(auto admin_added,
                       kiosk::add_staff(db, clock, kiosk::Actor::system(),
                                        {"赵建国", kiosk::Role::kSiteAdmin, "龙港镇"}, pins));
  CHZ_TRY(kiosk::set_pin(db, clock, admin_added.id, admin_added.setup_code, "135790", pins));
  kiosk::Actor admin{kiosk::Role::kSiteAdmin, admin_added.id};
  CHZ_ASSIGN_OR_RETURN(
      auto tr,
      kiosk::add_staff(db, clock, admin, {"王丽娟", kiosk::Role::kTrainer, "龙港镇"}, pins));
  CHZ_TRY(kiosk::set_pin(db, clock, tr.id, tr.setup_code, "246813", pins));
  kiosk::Actor trainer{kiosk::Role::kTrainer, tr.id};
  CHZ_ASSIGN_OR_RETURN(
      auto as,
      kiosk::add_staff(db, clock, admin, {"李秀英", kiosk::Role::kAssessor, "龙港镇"}, pins));
  CHZ_TRY(kiosk::set_pin(db, clock, as.id, as.setup_code, "975318", pins));
  // A second assessor, for countersigned practical scores (复核).
  CHZ_ASSIGN_OR_RETURN(
      auto as2,
      kiosk::add_staff(db, clock, admin, {"郝䶮", kiosk::Role::kAssessor, "龙港镇"}, pins));
  CHZ_TRY(kiosk::set_pin(db, clock, as2.id, as2.setup_code, "864202", pins));
  CHZ_ASSIGN_OR_RETURN(auto ts, kiosk::time_status(db, clock));
  if (!ts.trusted()) CHZ_TRY(kiosk::confirm_time(db, clock, trainer));

  CHZ_ASSIGN_OR_RETURN(
      std::string cls,
      kiosk::create_class(db, clock, admin,
                          {src.course.id, "龙港镇", "中蜂养殖冬季班", 30, {tr.id}}));
  struct P {
    const char* name;
    int y, m, d, seq;
  } people[] = {{"张𠮷", 1970, 3, 12, 301},
                {"阿依古丽·买买提", 1985, 8, 8, 402},
                {"王喆", 1982, 11, 20, 153},
                {"李堃", 1968, 1, 1, 4},
                {"刘䶮", 1976, 6, 6, 35}};
  std::vector<std::string> keys;
  for (const P& p : people) {
    kiosk::PersonInput in{id_number(p.y, p.m, p.d, p.seq), p.name, "龙港镇", "青龙村", "", {}};
    CHZ_ASSIGN_OR_RETURN(std::string key, kiosk::register_person(db, clock, trainer, in));
    CHZ_TRY(kiosk::enrol(db, clock, trainer, cls, key));
    keys.push_back(key);
  }
  // 张𠮷 has met the hours (yesterday: 1 学时 theory + 1 practical) and a
  // practical score; the others have not.
  std::int64_t y9 = china_midnight_ms(china_date(now - kDayMs)) + 9 * 60 * kMin;
  CHZ_TRY(
      attended_session(store, clock, trainer, cls, keys[0], y9, 60, kiosk::SessionKind::kTheory));
  CHZ_TRY(attended_session(store, clock, trainer, cls, keys[0], y9 + 90 * kMin, 60,
                           kiosk::SessionKind::kPractical));
  kiosk::exam::PracticalEntry pe;
  pe.person = keys[0];
  pe.course_id = src.course.id;
  pe.class_id = cls;
  pe.score_x100 = 8000;
  pe.assessor_id = as.id;
  pe.assessor_pin = "975318";
  CHZ_ASSIGN_OR_RETURN(auto score, kiosk::exam::enter_practical_score(store, clock, pe));
  (void)score;

  // Today: a session around now (kept inside the China day), opened.
  clock.set(now);
  int nm = china_minute_of_day(now);
  int start = std::max(0, nm - 60), end = std::min(24 * 60 - 1, nm + 120);
  CHZ_ASSIGN_OR_RETURN(std::string today, kiosk::add_session(db, clock, trainer,
                                                             {cls, china_date(now), start, end,
                                                              kiosk::SessionKind::kTheory}));
  if (open_today) CHZ_TRY(kiosk::open_session(db, clock, trainer, today));
  // An exam sitting for the class; its proctor code goes to the script's vars.
  CHZ_ASSIGN_OR_RETURN(auto sitting,
                       kiosk::exam::open_sitting(store, clock, trainer, src.course, cls));
  CHZ_TRY(write_file_atomic(store.dir().parent_path() / "vars.txt",
                            "proctor=" + sitting.proctor_code + "\n", 0644));
  return OkStatus();
}

}  // namespace chz::test_ui
