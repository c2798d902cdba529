// Test-only (header only): a real kiosk store seeded with a trainer, an
// assessor, a class of the demo course and enrolled trainees whose hours are
// met, for the exam tests: ExamFixture in a temp folder, or ExamSite on a
// store that exists (an enrolled kiosk in an end-to-end test).
//
// Trainees come through the real write path (register_person + enrol: the
// records, the outbox and the audit log), each with their own valid ID
// number. Staff, the class, its sessions and the attendance behind "hours
// met" are still written straight into their tables: the tests name them by
// fixed ids (kTrainer, kClass...), and attendance through check_in needs each
// session open at its own time, before the trainees exist. In the field
// these arrive from the county through sync; seeding them through
// KioskRecordSink is the next step (on an enrolled store it would move the
// feed cursor, which the end-to-end test relies on).
#pragma once

#include <string>

#include "kiosk/classes.h"
#include "kiosk/domain_testing.h"
#include "kiosk/exam_session.h"
#include "kiosk/exam_test_course.h"
#include "kiosk/people.h"
#include "sync/protocol/record_kinds.h"

namespace chz::kiosk::exam::testing {

inline const std::string kClass = "class-qs-01";
inline const std::string kTrainer = "staff-t1";
inline const std::string kAssessor = "staff-a1";
inline const std::string kAssessor2 = "staff-a2";
inline const std::string kPin = "246813";
inline const std::string kPin2 = "975318";

// A well-formed person key that no trainee of the fixture has (theirs are
// derived from their ID numbers): someone not in the class.
inline std::string person_key_of(int i) {
  return std::string(63, 'a') + std::to_string(i % 10);
}

inline std::string session_date(int i) {
  return kiosk::testing::date_text(CivilDate{2026, 11, i + 1});
}
// Trainee i's ID number: valid, fictional (沁水县), one per i (0..999).
inline std::string id_number_of(int i) {
  return kiosk::testing::id_number_born(CivilDate{1985, 3, 12}, i);
}
inline std::int64_t session_ms(int i, int minute) {
  return china_midnight_ms(CivilDate{2026, 11, i + 1}) + std::int64_t(minute) * 60'000;
}

struct ExamSite {
  Store& store_;
  FakeClock& clock_;
  content::Course course = demo_course();
  Actor trainer{Role::kTrainer, kTrainer};
  std::string boot = new_boot_id();

  ExamSite(Store& store, FakeClock& clock) : store_(store), clock_(clock) {
    Db& db = store_.db();
    auto ok = [](const Status& s) {
      if (!s.ok()) throw std::runtime_error(s.to_string());
    };
    if (!county_key(db).ok()) {  // a temp store, not enrolled: a test county key
      Key32 county{};
      county[0] = 0x52;
      ok(set_county_key(db, county));
    }
    ok(db.run(
        "INSERT INTO staff(id, name, role, active, pin) VALUES (?, '王建国', 'trainer', 1, ?)",
        kTrainer, sync::kinds::hash_staff_secret(kPin, 1000)));
    // Few PBKDF2 iterations keep the tests fast; the format is the real one.
    ok(db.run(
        "INSERT INTO staff(id, name, role, active, pin) VALUES (?, '李淑芬', 'assessor', 1, ?)",
        kAssessor, sync::kinds::hash_staff_secret(kPin, 1000)));
    ok(db.run("INSERT INTO staff(id, name, role, active, pin) VALUES (?, '赵喆', 'assessor', 1, ?)",
              kAssessor2, sync::kinds::hash_staff_secret(kPin2, 1000)));
    ok(
        db.run("INSERT INTO classes(id, course, site, name, capacity) VALUES (?, ?, 'site-lg', "
               "'龙港镇中蜂养殖班', 30)",
               kClass, course.id));
    ok(upsert_course(db, course));
    // Two 12-hour theory days and one practical day: 48 学时 at 45 minutes.
    const char* kinds[] = {"theory", "theory", "practical"};
    for (int i = 0; i < 3; ++i) {
      std::string id = "s" + std::to_string(i + 1);
      ok(
          db.run("INSERT INTO sessions(id, class, date, start, \"end\", kind) VALUES (?, ?, ?, "
                 "'08:00', '20:00', ?)",
                 id, kClass, session_date(i), std::string(kinds[i])));
      ok(
          db.run("INSERT INTO roster_confirms(uuid, session, by_staff, at_ms, hlc) VALUES (?, ?, "
                 "?, ?, '')",
                 "rc" + std::to_string(i + 1), id, kTrainer, session_ms(i, 20 * 60)));
    }
  }
  Store& store() { return store_; }
  FakeClock& clock() { return clock_; }

  // Registers person i (name, ID number id_number_of(i)) and enrols them, as
  // the trainer does at the kiosk; hours met unless `hours` is false. Returns
  // the person key. `key_in`: the person's key when the county already knows
  // them (an end-to-end test whose certificate holder the server enrolled);
  // that person is written as the county's record would arrive, straight in.
  std::string trainee(int i, const std::string& name, bool hours = true,
                      const std::string& key_in = "") {
    Db& db = store_.db();
    auto ok = [](const Status& s) {
      if (!s.ok()) throw std::runtime_error(s.to_string());
    };
    std::string key = key_in;
    if (key.empty()) {
      auto r =
          register_person(db, clock_, trainer, {id_number_of(i), name, "龙港镇", "青龙村", "", {}});
      if (!r.ok()) throw std::runtime_error(r.status().to_string());
      key = *r;
      ok(enrol(db, clock_, trainer, kClass, key));
    } else {
      ok(db.run("INSERT INTO people(id, id_number, name) VALUES (?, ?, ?)", key, id_number_of(i),
                name));
      ok(db.run("INSERT INTO enrolments(id, class, person, active) VALUES (?, ?, ?, 1)",
                kClass + ":" + key, kClass, key));
    }
    for (int i = 0; hours && i < 3; ++i) {
      std::string sid = "s" + std::to_string(i + 1);
      ok(db.run("INSERT INTO roster_lines(confirm, person, resolution) VALUES (?, ?, 'present')",
                "rc" + std::to_string(i + 1), key));
      ok(db.run(
          "INSERT INTO attendance(uuid, session, person, event, at_ms, by_actor, hlc) VALUES "
          "(?, ?, ?, 'in', ?, 'self', ''), (?, ?, ?, 'out', ?, 'self', '')",
          sid + "-in-" + key, sid, key, session_ms(i, 8 * 60), sid + "-out-" + key, sid, key,
          session_ms(i, 20 * 60)));
    }
    return key;
  }

  Sitting sitting(std::int64_t max_down = kDefaultMaxDowntimeMs) {
    auto s = open_sitting(store(), clock(), trainer, course, kClass, max_down);
    if (!s.ok()) throw std::runtime_error(s.status().to_string());
    return *s;
  }
  std::string code(const std::string& sitting_id) {
    auto s = get_sitting(store(), sitting_id);
    if (!s.ok()) throw std::runtime_error(s.status().to_string());
    return s->proctor_code;
  }
  Result<AttemptRun> start(const std::string& person, const std::string& sitting_id,
                           std::uint64_t seed = 1) {
    return start_attempt(store(), clock(), course, person, sitting_id, code(sitting_id), boot,
                         seed);
  }
};

// Holds the temp store, so it exists before ExamSite seeds it.
struct TempStoreHolder {
  kiosk::testing::TempStore ts;
  explicit TempStoreHolder(const StoreOpenOptions& o) : ts(o) {}
};

struct ExamFixture : TempStoreHolder, ExamSite {
  explicit ExamFixture(const StoreOpenOptions& o = {})
      : TempStoreHolder(o), ExamSite(ts.store, ts.clock) {}
};

// Answers every question of the demo course right (or all wrong) and submits.
inline AttemptResult take_exam(ExamSite& f, const std::string& person, bool right = true,
                               std::uint64_t seed = 5) {
  auto run = f.start(person, f.sitting().id, seed);
  if (!run.ok()) throw std::runtime_error(run.status().to_string());
  for (int i = 0;; ++i) {
    auto v = question(f.store(), f.clock(), *run, i);
    if (!v.ok()) break;
    Answer a;
    if (v->type == content::QuestionType::kTrueFalse) a.truth = right;
    if (v->type == content::QuestionType::kFill) a.blanks = {right ? "工蜂" : "蜂王", "ZW"};
    for (std::size_t d = 0; d < v->options.size(); ++d) {
      bool good = v->options[d] == "一只" ||
                  (v->type == content::QuestionType::kMultiple && v->options[d] != "不爱分蜂");
      if (good == right) a.choices.push_back(int(d));
      if (v->type == content::QuestionType::kSingle && !a.choices.empty()) break;
    }
    auto st = answer(f.store(), f.clock(), *run, i, a);
    if (!st.ok()) throw std::runtime_error(st.to_string());
  }
  auto r = submit(f.store(), f.clock(), *run);
  if (!r.ok()) throw std::runtime_error(r.status().to_string());
  return *r;
}

}  // namespace chz::kiosk::exam::testing
