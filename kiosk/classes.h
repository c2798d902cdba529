// Courses, classes (培训班) and sessions (课次). A course's facts come from
// its content package (upsert_course) or the county's records; classes and
// sessions come from the county or are created at the kiosk by a site admin
// or trainer; enrolment puts a person in a class.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/db.h"
#include "content/model.h"
#include "kiosk/actor.h"
#include "sync/protocol/training_rules.h"

namespace chz::kiosk {

// Stores a course's facts (id, name, occupation, level, hours, pass marks,
// version); lessons and bank stay in the package. A lower version than the
// stored one is ignored (OK). Not a synced record: the county publishes
// courses itself. REQUIRES nothing; runs its own statement.
Status upsert_course(Db& db, const content::Course& c);

struct CourseInfo {
  std::string id, name, occupation, occupation_code;
  content::Level level = content::Level::kLevel5;
  int theory_hours = 0, practical_hours = 0;
  int theory_pass = 60, practical_pass = 60;
};
Result<CourseInfo> get_course(Db& db, const std::string& id);  // kNotFound "course.unknown"
Result<std::vector<CourseInfo>> list_courses(Db& db);

enum class SessionKind { kTheory, kPractical };
std::string_view session_kind_name(SessionKind k);  // "theory" | "practical"

struct ClassInput {
  std::string course, site, name;
  int capacity = 30;
  std::vector<std::string> trainers;  // staff ids
};
struct ClassInfo {
  std::string id, course, site, name;
  int capacity = 0;
  std::vector<std::string> trainers;
  int enrolled = 0;
};
// A site admin or trainer creates a class for a known course. Keys:
// "course.unknown", "class.capacity" (1..500), "class.name" (empty).
Result<std::string> create_class(Db& db, const Clock& clock, const Actor& actor,
                                 const ClassInput& in);
Result<ClassInfo> get_class(Db& db, const std::string& id);  // kNotFound "class.unknown"
Result<std::vector<ClassInfo>> list_classes(Db& db);

struct SessionInput {
  std::string class_id;
  CivilDate date;
  int start_minute = 0;  // minutes since China midnight
  int end_minute = 0;
  SessionKind kind = SessionKind::kTheory;
};
struct SessionInfo {
  std::string id, class_id;
  CivilDate date;
  int start_minute = 0, end_minute = 0;
  SessionKind kind = SessionKind::kTheory;
  std::int64_t start_ms = 0, end_ms = 0;  // the window as instants
};
// Adds a session to a class. "session.window" if end <= start or outside
// the day; "class.unknown".
Result<std::string> add_session(Db& db, const Clock& clock, const Actor& actor,
                                const SessionInput& in);
Result<SessionInfo> get_session(Db& db, const std::string& id);  // "session.unknown"
// Cancels a session that was never opened: a tombstone record deletes it
// everywhere. "session.already_opened" (kFailedPrecondition) once opened.
Status cancel_session(Db& db, const Clock& clock, const Actor& actor, const std::string& session);
// A class's sessions by date and start.
Result<std::vector<SessionInfo>> sessions_of_class(Db& db, const std::string& class_id);

// Enrols a registered person. "person.unknown", "class.unknown",
// "class.full" (kFailedPrecondition), "enrol.exists" (kAlreadyExists).
Status enrol(Db& db, const Clock& clock, const Actor& actor, const std::string& class_id,
             const std::string& person);
// Withdraws a person (an enrolment tombstone is not used: active = 0).
Status withdraw(Db& db, const Clock& clock, const Actor& actor, const std::string& class_id,
                const std::string& person);
Result<bool> is_enrolled(Db& db, const std::string& class_id, const std::string& person);
// Person keys enrolled in the class.
Result<std::vector<std::string>> enrolled_people(Db& db, const std::string& class_id);

// "09:00" <-> 540 (parsing is the rule both ends share).
std::string format_minute(int minute_of_day);
using sync::rules::parse_minute;

}  // namespace chz::kiosk
