// Adapters from the exams to the domain's tables (classes, enrolments,
// attendance). Kept in one file so a change of the domain API touches only
// this file.
#include <fmt/format.h>

#include "kiosk/exam_internal.h"

namespace chz::kiosk::exam::detail {

Status check_class(Db& db, const std::string& class_id, const std::string& course_id) {
  auto course = db.query_text("SELECT course FROM classes WHERE id = ? AND deleted = 0", class_id);
  if (!course.ok()) {
    if (course.status().code() == Code::kNotFound)
      return Status(Code::kNotFound, "no such class", "exam.class_unknown");
    return course.status();
  }
  if (*course != course_id)
    return Status(Code::kInvalidArgument, "the class teaches another course", "exam.course_mismatch");
  return OkStatus();
}

bool is_enrolled(Db& db, const std::string& class_id, const std::string& person) {
  auto n = db.query_int("SELECT count(*) FROM enrolments WHERE class = ? AND person = ? AND active = 1 AND deleted = 0",
                        class_id, person);
  return n.ok() && *n > 0;
}

// Credited minutes: sessions of the course's classes whose confirmed roster
// counts the person present (or credited to the close), at the session's
// scheduled length. Interim until the domain's hours ledger offers a call;
// 1 学时 = 45 minutes unless the setting "hours.minutes_per_hour" says so.
Result<HoursFact> hours_for(Db& db, const std::string& person, const content::Course& course) {
  HoursFact h;
  std::int64_t per_hour = 45;
  auto setting = db.query_text("SELECT value FROM settings WHERE key = 'hours.minutes_per_hour'");
  if (setting.ok()) {
    try {
      per_hour = std::stoll(*setting);
    } catch (const std::exception&) {
    }
  }
  h.needed_minutes = std::int64_t(course.theory_hours + course.practical_hours) * per_hour;
  CHZ_ASSIGN_OR_RETURN(
      Stmt st, db.prepare("SELECT DISTINCT s.id, s.start, s.\"end\" FROM sessions s JOIN classes c ON c.id = s.class "
                          "JOIN roster_confirms rc ON rc.session = s.id JOIN roster_lines rl ON rl.confirm = rc.uuid "
                          "WHERE c.course = ? AND s.deleted = 0 AND rl.person = ? "
                          "AND rl.resolution IN ('present', 'credit_to_close')"));
  st.bind_all(course.id, person);
  auto minutes = [](const std::string& hhmm) -> std::int64_t {
    if (hhmm.size() != 5 || hhmm[2] != ':') return 0;
    return std::int64_t((hhmm[0] - '0') * 10 + (hhmm[1] - '0')) * 60 + (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
  };
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    std::int64_t len = minutes(st.text(2)) - minutes(st.text(1));
    if (len > 0) h.done_minutes += len;
  }
  return h;
}

}  // namespace chz::kiosk::exam::detail
