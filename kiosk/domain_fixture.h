// Test support (header only): a TempStore enrolled with a county key, one
// course (2 学时 theory, 1 学时 practical), a site admin, a trainer, a
// class taught by that trainer, and helpers to register people and add
// sessions. Tests read like the programme's rules on top of it.
#pragma once

#include <string>

#include "kiosk/attendance.h"
#include "kiosk/classes.h"
#include "kiosk/domain_testing.h"
#include "kiosk/exam_test_course.h"
#include "kiosk/hours.h"
#include "kiosk/people.h"
#include "kiosk/staff.h"

namespace chz::kiosk::testing {

inline constexpr std::int64_t kMinute = 60'000;

template <class T>
T must(Result<T> r) {
  if (!r.ok()) throw std::runtime_error("fixture: " + r.status().to_string());
  return std::move(r).value();
}
inline void must(const Status& s) {
  if (!s.ok()) throw std::runtime_error("fixture: " + s.to_string());
}

struct DomainFixture : TempStore {
  Actor admin, trainer;
  std::string class_id;
  PinPolicy fast_pins{1000};  // tests' PIN hashing: fewer iterations, same code

  explicit DomainFixture(const StoreOpenOptions& o = {}) : TempStore(o) {
    clock.set(clock.now_ms() - 2 * 3600 * 1000);  // set up at 07:00, before any session
    Key32 county{};
    county[0] = 0x51;
    must(set_county_key(db(), county));
    // The one 中蜂养殖 course of the kiosk tests (exam_test_course.h), with
    // short hours so that a test day or two of sessions meets them.
    content::Course c = exam::testing::demo_course();
    c.theory_hours = 2;
    c.practical_hours = 1;
    must(upsert_course(db(), c));
    auto a = must(
        add_staff(db(), clock, Actor::system(), {"赵建国", Role::kSiteAdmin, "龙港镇"}, fast_pins));
    admin = Actor{Role::kSiteAdmin, a.id};
    auto t = must(add_staff(db(), clock, admin, {"王丽娟", Role::kTrainer, "龙港镇"}, fast_pins));
    trainer = Actor{Role::kTrainer, t.id};
    class_id = must(
        create_class(db(), clock, admin, {c.id, "龙港镇", "中蜂养殖2027春季班", 30, {trainer.id}}));
  }

  CivilDate today() const { return china_date(clock.now_ms()); }

  // Registers and enrols a 40-year-old (or born on `birth`).
  // Does not move the clock.
  std::string person(const std::string& name, int seq, std::optional<CivilDate> birth = {}) {
    CivilDate b = birth.value_or(CivilDate{today().year - 40, 3, 15});
    PersonInput in{id_number_born(b, seq), name, "龙港镇", "青龙村", "", {}};
    auto key = must(register_person(db(), clock, trainer, in));
    must(enrol(db(), clock, trainer, class_id, key));
    return key;
  }

  // A session today from hh:mm to hh:mm (China time).
  std::string session(int start_h, int start_m, int end_h, int end_m,
                      SessionKind kind = SessionKind::kTheory) {
    return must(add_session(db(), clock, trainer,
                            {class_id, today(), start_h * 60 + start_m, end_h * 60 + end_m, kind}));
  }

  // Moves the clock to hh:mm today, China time.
  void at(int h, int m) { clock.set(china_midnight_ms(today()) + (h * 60 + m) * kMinute); }
  std::int64_t ms(int h, int m) { return china_midnight_ms(today()) + (h * 60 + m) * kMinute; }
};

}  // namespace chz::kiosk::testing
