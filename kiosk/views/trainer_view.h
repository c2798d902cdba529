// View-models of the trainer's screens: who can sign in, today's sessions
// of the trainer's classes. The roster itself is kiosk::class_roster.
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "kiosk/attendance.h"
#include "kiosk/store.h"

namespace chz::kiosk::views {

struct StaffButton {
  std::string id, name;
  bool has_pin = false;  // false: the first sign-in sets one with the county's setup code
};
// Active staff, by role then name (the "tap your name" screen).
Result<std::vector<StaffButton>> staff_buttons(Store& store);

struct TrainerSessionRow {
  std::string session_id, class_id, class_name, course_id, when;
  SessionState state = SessionState::kScheduled;
};
struct TrainerView {
  std::string staff_id, name;
  std::vector<TrainerSessionRow> today;  // sessions today of classes this trainer teaches
};
Result<TrainerView> trainer_view(Store& store, const Clock& clock, const std::string& staff_id);

// The classes a staff member may act for (the trainer's own; every class
// for a site admin), by name.
struct ClassChoice {
  std::string class_id, name, course_id, course_name;
  int enrolled = 0, capacity = 0;
};
Result<std::vector<ClassChoice>> class_choices(Store& store, const std::string& staff_id);

// A class's trainees with the practical score that counts, if any.
struct ScoreLine {
  std::string person, name, masked_id;
  std::string score;       // "85" / "85.5", "" = none yet
  std::string score_uuid;  // the entry a new score must correct
};
Result<std::vector<ScoreLine>> score_lines(Store& store, const std::string& class_id);

// Places already known at this kiosk (from registered people), for the
// walk-in form's buttons: townships by how many people live there, then
// the villages of `township` the same way.
Result<std::vector<std::string>> known_townships(Store& store);
Result<std::vector<std::string>> known_villages(Store& store, const std::string& township);

}  // namespace chz::kiosk::views
