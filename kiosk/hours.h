// Hours (学时): credited minutes are the overlap of each [check-in,
// check-out] interval with its session's window, counted only for sessions
// whose roster was confirmed at close, summed per course and kind (theory /
// practical), then converted at 45 minutes per 学时 (the store setting
// hours.minutes_per_hour, 20..120, may say otherwise: the county sets it
// with a county_setting record, applied by projection.cpp).
// The exam opens once both kinds meet the course's hours.
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/db.h"
#include "kiosk/classes.h"
#include "sync/protocol/training_rules.h"

namespace chz::kiosk {

inline constexpr int kDefaultMinutesPerHour = sync::rules::kDefaultMinutesPerHour;
// The roster shows a session of today as current from this long before it.
inline constexpr std::int64_t kAttendanceLookaheadMs = 30LL * 60 * 1000;
Result<int> minutes_per_hour(Db& db);
// 20..120; "hours.minutes_per_hour" otherwise.
Status set_minutes_per_hour(Db& db, int minutes);

// One effective attendance event: corrections applied, voided ones gone.
struct AttendanceEvent {
  std::string uuid;
  bool in = true;
  std::int64_t at_ms = 0;
  bool corrected = false;
};
// A person's effective events in a session, by time.
Result<std::vector<AttendanceEvent>> effective_events(Db& db, const std::string& session,
                                                      const std::string& person);

// Minutes credited to `person` for `session`; 0 until its roster is confirmed.
Result<int> credited_minutes(Db& db, const SessionInfo& session, const std::string& person);

struct CourseHours {
  std::string course, course_name;
  int theory_done_min = 0, practical_done_min = 0;
  int theory_needed_min = 0, practical_needed_min = 0;
  int minutes_per_hour = kDefaultMinutesPerHour;
  int missing_checkouts = 0;  // flagged sessions (no check-out at close)
  // Whole 学时 done.
  int theory_hours() const { return theory_done_min / minutes_per_hour; }
  int practical_hours() const { return practical_done_min / minutes_per_hour; }
  bool met() const {
    return theory_done_min >= theory_needed_min && practical_done_min >= practical_needed_min;
  }
};
// Hours done vs needed for each course the person is enrolled in or has
// attended.
Result<std::vector<CourseHours>> hours_for_person(Db& db, const std::string& person);
Result<CourseHours> hours_for_course(Db& db, const std::string& person, const std::string& course);
// True iff the person's confirmed hours meet the course's (theory and practical).
Result<bool> exam_eligible(Db& db, const std::string& person, const std::string& course);

enum class Presence { kAbsent, kIn, kOut };
struct RosterLine {
  std::string person, name, masked_id;
  Presence today = Presence::kAbsent;  // in today's current (or last started) session
  CourseHours hours;
};
// The class roster with today's status (China date of corrected time).
Result<std::vector<RosterLine>> class_roster(Db& db, const Clock& clock,
                                             const std::string& class_id);

}  // namespace chz::kiosk
