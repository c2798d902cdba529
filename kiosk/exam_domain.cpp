// Adapters from the exams to the domain (classes, enrolments, hours). Kept in one file so a change
// of the domain API touches only this file.
#include <fmt/format.h>

#include "kiosk/exam_internal.h"
#include "kiosk/hours.h"

namespace chz::kiosk::exam::detail {

Status check_class(Db& db, const std::string& class_id, const std::string& course_id) {
  auto course = db.query_text("SELECT course FROM classes WHERE id = ? AND deleted = 0", class_id);
  if (!course.ok()) {
    if (course.status().code() == Code::kNotFound)
      return Status(Code::kNotFound, "no such class", "exam.class_unknown");
    return course.status();
  }
  if (*course != course_id)
    return Status(Code::kInvalidArgument, "the class teaches another course",
                  "exam.course_mismatch");
  return OkStatus();
}

bool is_enrolled(Db& db, const std::string& class_id, const std::string& person) {
  auto n = db.query_int(
      "SELECT count(*) FROM enrolments WHERE class = ? AND person = ? AND active = 1 AND deleted = "
      "0",
      class_id, person);
  return n.ok() && *n > 0;
}

Result<HoursFact> hours_for(Db& db, const std::string& person, const content::Course& course) {
  CHZ_ASSIGN_OR_RETURN(CourseHours c, hours_for_course(db, person, course.id));
  HoursFact h;
  h.done_minutes = c.theory_done_min + c.practical_done_min;
  h.needed_minutes = c.theory_needed_min + c.practical_needed_min;
  h.minutes_per_hour = c.minutes_per_hour;
  h.met = c.met();
  return h;
}

}  // namespace chz::kiosk::exam::detail
