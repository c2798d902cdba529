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

}  // namespace chz::kiosk::views
