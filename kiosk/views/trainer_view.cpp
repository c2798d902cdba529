#include "kiosk/views/trainer_view.h"

#include <algorithm>

#include "kiosk/classes.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/staff.h"

namespace chz::kiosk::views {

Result<std::vector<StaffButton>> staff_buttons(Store& store) {
  CHZ_ASSIGN_OR_RETURN(auto staff, list_staff(store.db()));
  std::vector<StaffButton> out;
  for (const auto& s : staff)
    if (s.active) out.push_back({s.id, s.name});
  return out;
}

Result<TrainerView> trainer_view(Store& store, const Clock& clock, const std::string& staff_id) {
  Db& db = store.db();
  CHZ_ASSIGN_OR_RETURN(StaffMember me, get_staff(db, staff_id));
  TrainerView v{me.id, me.name, {}};
  CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
  CivilDate today = china_date(now);
  CHZ_ASSIGN_OR_RETURN(auto classes, list_classes(db));
  for (const auto& c : classes) {
    bool mine = c.trainers.empty() ||
                std::find(c.trainers.begin(), c.trainers.end(), me.id) != c.trainers.end() ||
                me.role == Role::kSiteAdmin;
    if (!mine) continue;
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

}  // namespace chz::kiosk::views
