// Internal to the exam files (exam_session.cpp, exam_attempt.cpp, ...): the
// stored attempt row, time arithmetic and the adapters to the domain
// (enrolment, hours, PIN). Not for other areas.
#pragma once

#include <string>

#include "kiosk/exam_session.h"
#include "kiosk/paper_assembly.h"

namespace chz::kiosk::exam::detail {

struct AttemptRow {
  std::string id, sitting_id, person, course_id, boot_id, status, reason, record_uuid;
  std::int64_t content_version = 0, started_ms = 0, time_limit_ms = 0, charged_ms = 0,
               checkpoint_ms = 0, downtime_ms = 0, submitted_ms = 0, earned_x100 = 0,
               total_x100 = 0, theory_x100 = 0, pass_x100 = 0;
  int attempt_no = 0, current_pos = 0;
  bool passed = false;
  bool open() const { return status == "open"; }
  // Exam time used at device time `now` while this boot holds the attempt.
  std::int64_t used_at(std::int64_t now) const {
    return charged_ms + (now > checkpoint_ms ? now - checkpoint_ms : 0);
  }
  std::int64_t remaining_at(std::int64_t now) const {
    std::int64_t r = time_limit_ms - used_at(now);
    return r > 0 ? r : 0;
  }
};

Result<AttemptRow> load_attempt(Db& db, const std::string& attempt_id);
// Loads and checks that `run` holds the attempt ("exam.stale_run").
Result<AttemptRow> load_run(Db& db, const AttemptRun& run);
// Sets charged/checkpoint to now. REQUIRES: in a transaction, row held by this boot.
Status checkpoint(Db& db, AttemptRow& row, std::int64_t now);
Result<std::vector<PaperItem>> load_items(Db& db, const std::string& attempt_id);
// Grades, stores and records the submission. REQUIRES: in a transaction.
Status submit_in_tx(Db& db, const Clock& clock, AttemptRow& row, std::string_view reason);

// ---- adapters to the domain (kiosk/people.h, staff, hours) ----
// OK iff the class exists and teaches `course_id` ("exam.class_unknown",
// "exam.course_mismatch").
Status check_class(Db& db, const std::string& class_id, const std::string& course_id);
bool is_enrolled(Db& db, const std::string& class_id, const std::string& person);
// Credited minutes of `person` towards `course` and the minutes required.
// Theory and practical must each be met (kiosk/hours.h).
struct HoursFact {
  std::int64_t done_minutes = 0, needed_minutes = 0, minutes_per_hour = 45;
  bool met = false;
};
Result<HoursFact> hours_for(Db& db, const std::string& person, const content::Course& course);

}  // namespace chz::kiosk::exam::detail
