#include "kiosk/views/trainer_view.h"

#include <algorithm>

#include "kiosk/classes.h"
#include "kiosk/exam_practical.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/people.h"
#include "kiosk/staff.h"

namespace chz::kiosk::views {

Result<std::vector<StaffButton>> staff_buttons(Store& store) {
  CHZ_ASSIGN_OR_RETURN(auto staff, list_staff(store.db()));
  std::vector<StaffButton> out;
  for (const auto& s : staff)
    if (s.active) out.push_back({s.id, s.name, s.has_pin});
  return out;
}

namespace {
// A trainer acts for their own classes; site admins and assessors (who
// score and proctor any class) for all of them.
bool teaches(const ClassInfo& c, const StaffMember& me) {
  return c.trainers.empty() || me.role == Role::kSiteAdmin || me.role == Role::kAssessor ||
         std::find(c.trainers.begin(), c.trainers.end(), me.id) != c.trainers.end();
}

std::string format_score(std::int64_t x100) {
  std::string s = std::to_string(x100 / 100);
  if (x100 % 100) {
    s += '.';
    s += static_cast<char>('0' + (x100 % 100) / 10);
    if (x100 % 10) s += static_cast<char>('0' + x100 % 10);
  }
  return s;
}
}  // namespace

Result<TrainerView> trainer_view(Store& store, const Clock& clock, const std::string& staff_id) {
  Db& db = store.db();
  CHZ_ASSIGN_OR_RETURN(StaffMember me, get_staff(db, staff_id));
  TrainerView v{me.id, me.name, {}};
  CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
  CivilDate today = china_date(now);
  CHZ_ASSIGN_OR_RETURN(auto classes, list_classes(db));
  for (const auto& c : classes) {
    if (!teaches(c, me)) continue;
    CHZ_ASSIGN_OR_RETURN(auto sessions, sessions_of_class(db, c.id));
    for (const auto& s : sessions) {
      if (s.date != today) continue;
      CHZ_ASSIGN_OR_RETURN(SessionState st, session_state(db, s.id));
      v.today.push_back({s.id, c.id, c.name, c.course,
                         format_minute(s.start_minute) + "–" + format_minute(s.end_minute), st});
    }
  }
  return v;
}

Result<std::vector<ClassChoice>> class_choices(Store& store, const std::string& staff_id) {
  Db& db = store.db();
  CHZ_ASSIGN_OR_RETURN(StaffMember me, get_staff(db, staff_id));
  CHZ_ASSIGN_OR_RETURN(auto classes, list_classes(db));
  std::vector<ClassChoice> out;
  for (const auto& c : classes) {
    if (!teaches(c, me)) continue;
    auto course = get_course(db, c.course);
    out.push_back(
        {c.id, c.name, c.course, course.ok() ? course->name : c.course, c.enrolled, c.capacity});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

Result<std::vector<ScoreLine>> score_lines(Store& store, const std::string& class_id) {
  Db& db = store.db();
  CHZ_ASSIGN_OR_RETURN(ClassInfo c, get_class(db, class_id));
  CHZ_ASSIGN_OR_RETURN(auto people, enrolled_people(db, class_id));
  std::vector<ScoreLine> out;
  for (const auto& key : people) {
    auto p = get_person(db, key);
    if (!p.ok()) continue;
    ScoreLine l{key, p->name, p->masked_id(), {}, {}};
    CHZ_ASSIGN_OR_RETURN(auto score, exam::practical_score(store, key, c.course));
    if (score) {
      l.score = format_score(score->score_x100);
      l.score_uuid = score->uuid;
    }
    out.push_back(std::move(l));
  }
  return out;
}

namespace {
Result<std::vector<std::string>> places(Store& store, const std::string& sql,
                                        const std::string& arg) {
  CHZ_ASSIGN_OR_RETURN(Stmt st, store.db().prepare(sql));
  if (!arg.empty()) st.bind(1, arg);
  std::vector<std::string> out;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    if (!st.text(0).empty()) out.push_back(st.text(0));
  }
  return out;
}
}  // namespace

Result<std::vector<std::string>> known_townships(Store& store) {
  return places(store,
                "SELECT township FROM people WHERE deleted = 0 GROUP BY township ORDER BY COUNT(*) "
                "DESC, township "
                "LIMIT 12",
                "");
}

Result<std::vector<std::string>> known_villages(Store& store, const std::string& township) {
  return places(store,
                "SELECT village FROM people WHERE deleted = 0 AND township = ? GROUP BY village "
                "ORDER BY COUNT(*) DESC, village LIMIT 12",
                township);
}

}  // namespace chz::kiosk::views
