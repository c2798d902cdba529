// Practical skill scores (实操成绩), entered at the kiosk by an assessor
// (考评员) with their PIN, optionally countersigned by a second assessor.
// Each entry is a fact (practical_score record) and audited; a later entry
// for the same person and course must name the one it corrects and say why.
// The newest entry counts.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"
#include "kiosk/store.h"

namespace chz::kiosk::exam {

struct PracticalEntry {
  std::string person, course_id, class_id;
  std::int64_t score_x100 = 0;  // 0..10000
  std::string assessor_id, assessor_pin;
  std::string second_assessor_id, second_assessor_pin;  // optional: both or neither
  std::string corrects;  // uuid of the entry this replaces ("" for the first)
  std::string reason;    // required with `corrects`
};

// Records the score. Refusals: "exam.score_range" (kOutOfRange), the PIN
// check's own (staff.pin_wrong, staff.locked, ...), "exam.not_assessor"
// (kPermissionDenied), "exam.same_assessor", "exam.second_pin" (a second
// assessor without a PIN), "exam.not_enrolled", "exam.correction_needed"
// (a score exists: name it in `corrects` with a reason), "exam.correction_target"
// (`corrects` is not the newest entry). Returns the record uuid.
Result<std::string> enter_practical_score(Store& s, const Clock& clock, const PracticalEntry& e);

struct PracticalScore {
  std::string uuid, person, course_id, class_id, assessor, second_assessor, corrects;
  std::int64_t score_x100 = 0, at_ms = 0;
};
// The score that counts (newest), if any.
Result<std::optional<PracticalScore>> practical_score(Store& s, const std::string& person,
                                                      const std::string& course_id);

}  // namespace chz::kiosk::exam
