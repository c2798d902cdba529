#include "kiosk/exam_practical.h"

#include <nlohmann/json.hpp>

#include "kiosk/audit.h"
#include "kiosk/exam_internal.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/outbox.h"
#include "kiosk/staff.h"
#include "sync/protocol/certificate.h"

namespace chz::kiosk::exam {

using nlohmann::json;

namespace {

Status refuse(Code c, std::string key, std::string msg) {
  return Status(c, std::move(msg), std::move(key));
}

Result<Actor> assessor_sign_in(Db& db, const Clock& clock, const std::string& id,
                               const std::string& pin) {
  CHZ_ASSIGN_OR_RETURN(Actor a, sign_in(db, clock, id, pin));
  if (a.role != Role::kAssessor)
    return refuse(Code::kPermissionDenied, "exam.not_assessor",
                  "only an assessor (考评员) enters practical scores");
  return a;
}

}  // namespace

Result<std::string> enter_practical_score(Store& s, const Clock& clock, const PracticalEntry& e) {
  Db& db = s.db();
  if (e.score_x100 < 0 || e.score_x100 > 10000)
    return refuse(Code::kOutOfRange, "exam.score_range", "a practical score is from 0 to 100");
  if (!e.second_assessor_id.empty() && e.second_assessor_id == e.assessor_id)
    return refuse(Code::kInvalidArgument, "exam.same_assessor",
                  "the second assessor must be another person");
  if (!e.second_assessor_id.empty() && e.second_assessor_pin.empty())
    return refuse(Code::kUnauthenticated, "exam.second_pin",
                  "the second assessor must enter their PIN");
  CHZ_TRY(detail::check_class(db, e.class_id, e.course_id));
  if (!detail::is_enrolled(db, e.class_id, e.person))
    return refuse(Code::kPermissionDenied, "exam.not_enrolled",
                  "the person is not enrolled in this class");
  CHZ_ASSIGN_OR_RETURN(auto current, practical_score(s, e.person, e.course_id));
  if (current && e.corrects.empty())
    return refuse(Code::kConflict, "exam.correction_needed",
                  "a practical score exists: a new one must name it and give a reason");
  if (!e.corrects.empty() && (!current || current->uuid != e.corrects))
    return refuse(Code::kConflict, "exam.correction_target",
                  "a correction must name the score that counts now");
  if (!e.corrects.empty() && e.reason.empty())
    return refuse(Code::kInvalidArgument, "exam.correction_needed", "a correction needs a reason");
  CHZ_ASSIGN_OR_RETURN(Actor first, assessor_sign_in(db, clock, e.assessor_id, e.assessor_pin));
  if (!e.second_assessor_id.empty())
    CHZ_TRY(assessor_sign_in(db, clock, e.second_assessor_id, e.second_assessor_pin).status());
  CHZ_ASSIGN_OR_RETURN(std::string device, device_id(db));
  CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
  std::string uuid;
  CHZ_TRY(db.transaction([&]() -> Status {
    json body = {{"person", e.person},
                 {"course", e.course_id},
                 {"class", e.class_id},
                 {"score_x100", e.score_x100},
                 {"assessor", e.assessor_id},
                 {"second_assessor", e.second_assessor_id},
                 {"at_ms", now},
                 {"corrects", e.corrects},
                 {"reason", e.reason}};
    CHZ_ASSIGN_OR_RETURN(sync::RecordMeta meta,
                         append_record(db, clock, sync::kinds::kPracticalScore, body));
    uuid = meta.uuid;
    CHZ_TRY(db.run(
        "INSERT INTO practical_scores(uuid, person, course_id, class_id, score_x100, assessor, "
        "second_assessor, at_ms, corrects, device) VALUES (?,?,?,?,?,?,?,?,?,?)",
        uuid, e.person, e.course_id, e.class_id, e.score_x100, e.assessor_id, e.second_assessor_id,
        now, e.corrects, device));
    return append_audit(db, clock, first.audit_name(), "exam.practical_score",
                        json{{"record", uuid},
                             {"person", e.person},
                             {"course", e.course_id},
                             {"score_x100", e.score_x100},
                             {"second_assessor", e.second_assessor_id},
                             {"corrects", e.corrects}});
  }));
  return uuid;
}

Result<std::optional<PracticalScore>> practical_score(Store& s, const std::string& person,
                                                      const std::string& course_id) {
  CHZ_ASSIGN_OR_RETURN(
      Stmt st, s.db().prepare(
                   "SELECT uuid, person, course_id, class_id, assessor, second_assessor, corrects, "
                   "score_x100, at_ms FROM practical_scores WHERE person = ? AND course_id = ? "
                   "ORDER BY at_ms DESC, uuid DESC LIMIT 1"));
  st.bind_all(person, course_id);
  CHZ_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return std::optional<PracticalScore>();
  PracticalScore p;
  p.uuid = st.text(0);
  p.person = st.text(1);
  p.course_id = st.text(2);
  p.class_id = st.text(3);
  p.assessor = st.text(4);
  p.second_assessor = st.text(5);
  p.corrects = st.text(6);
  p.score_x100 = st.int64(7);
  p.at_ms = st.int64(8);
  return std::optional<PracticalScore>(p);
}

}  // namespace chz::kiosk::exam
