// Sittings, eligibility, starting and resuming attempts.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/crypto.h"
#include "common/uuid.h"
#include "kiosk/audit.h"
#include "kiosk/exam_internal.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/outbox.h"

namespace chz::kiosk::exam {

using detail::AttemptRow;
using nlohmann::json;

std::string new_boot_id() {
  std::array<std::uint8_t, 8> b;
  random_bytes(b);
  return hex(b);
}

std::uint64_t new_seed() {
  std::array<std::uint8_t, 8> b;
  random_bytes(b);
  std::uint64_t s = 0;
  for (auto x : b) s = (s << 8) | x;
  return s;
}

namespace {

std::string new_proctor_code() {
  std::array<std::uint8_t, 4> b;
  random_bytes(b);
  std::uint32_t v =
      (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) | b[3];
  return fmt::format("{:06}", v % 1000000);
}

std::int64_t to_x100(double v) {
  return static_cast<std::int64_t>(v * 100 + 0.5);
}

constexpr const char* kSittingCols =
    "id, class_id, course_id, course_version, opened_by, opened_ms, closed_ms, proctor_code, "
    "max_downtime_ms, time_limit_ms, pass_x100, max_attempts";

Sitting read_sitting(const Stmt& st) {
  Sitting s;
  s.id = st.text(0);
  s.class_id = st.text(1);
  s.course_id = st.text(2);
  s.course_version = st.int64(3);
  s.opened_by = st.text(4);
  s.opened_ms = st.int64(5);
  s.closed_ms = st.int64(6);
  s.proctor_code = st.text(7);
  s.max_downtime_ms = st.int64(8);
  s.time_limit_ms = st.int64(9);
  s.pass_x100 = st.int64(10);
  s.max_attempts = static_cast<int>(st.int64(11));
  return s;
}

Status refuse(Code c, std::string key, std::string msg) {
  return Status(c, std::move(msg), std::move(key));
}

}  // namespace

Result<Sitting> open_sitting(Store& s, const Clock& clock, const Actor& trainer,
                             const content::Course& course, const std::string& class_id,
                             std::int64_t max_downtime_ms) {
  Db& db = s.db();
  CHZ_TRY(require_role(db, trainer, {Role::kTrainer, Role::kSiteAdmin}));
  CHZ_TRY(check_blueprint(course));
  CHZ_TRY(detail::check_class(db, class_id, course.id));
  if (max_downtime_ms < 0)
    return refuse(Code::kInvalidArgument, "exam.downtime", "max downtime must be >= 0");
  CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
  Sitting st;
  st.id = new_uuid_text(now);
  st.class_id = class_id;
  st.course_id = course.id;
  st.course_version = course.version;
  st.opened_by = trainer.id;
  st.opened_ms = now;
  st.proctor_code = new_proctor_code();
  st.max_downtime_ms = max_downtime_ms;
  st.time_limit_ms = std::int64_t(course.blueprint.time_limit_minutes) * 60'000;
  // Course and blueprint both carry a theory pass mark; the stricter counts.
  st.pass_x100 = to_x100(std::max(course.theory_pass, course.blueprint.pass_mark));
  st.max_attempts = course.blueprint.max_attempts;
  CHZ_TRY(db.transaction([&]() -> Status {
    CHZ_TRY(db.run(
        fmt::format(
            "INSERT INTO exam_sittings({}, partial_credit) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            kSittingCols),
        st.id, st.class_id, st.course_id, st.course_version, st.opened_by, st.opened_ms,
        st.closed_ms, st.proctor_code, st.max_downtime_ms, st.time_limit_ms, st.pass_x100,
        std::int64_t(st.max_attempts), course.blueprint.multiple_partial_credit));
    return append_audit(db, clock, trainer.audit_name(), "exam.sitting_open",
                        json{{"sitting", st.id},
                             {"class", class_id},
                             {"course", course.id},
                             {"course_version", course.version},
                             {"max_downtime_ms", max_downtime_ms}});
  }));
  return st;
}

Status close_sitting(Store& s, const Clock& clock, const Actor& trainer,
                     const std::string& sitting_id) {
  Db& db = s.db();
  CHZ_TRY(require_role(db, trainer, {Role::kTrainer, Role::kSiteAdmin}));
  CHZ_ASSIGN_OR_RETURN(Sitting st, get_sitting(s, sitting_id));
  if (!st.open()) return OkStatus();
  CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
  return db.transaction([&]() -> Status {
    CHZ_TRY(db.run("UPDATE exam_sittings SET closed_ms = ? WHERE id = ?", now, sitting_id));
    return append_audit(db, clock, trainer.audit_name(), "exam.sitting_close",
                        json{{"sitting", sitting_id}});
  });
}

Result<Sitting> get_sitting(Store& s, const std::string& id) {
  CHZ_ASSIGN_OR_RETURN(Stmt st, s.db().prepare(fmt::format(
                                    "SELECT {} FROM exam_sittings WHERE id = ?", kSittingCols)));
  st.bind(1, id);
  CHZ_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return refuse(Code::kNotFound, "exam.sitting_unknown", "no such exam sitting");
  return read_sitting(st);
}

Result<std::vector<Sitting>> open_sittings(Store& s, const std::string& class_id) {
  CHZ_ASSIGN_OR_RETURN(
      Stmt st, s.db().prepare(
                   fmt::format("SELECT {} FROM exam_sittings WHERE class_id = ? AND closed_ms = 0 "
                               "ORDER BY opened_ms DESC, id DESC",
                               kSittingCols)));
  st.bind(1, class_id);
  std::vector<Sitting> out;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    out.push_back(read_sitting(st));
  }
  return out;
}

Result<Eligibility> eligibility(Store& s, const std::string& person,
                                const content::Course& course) {
  Db& db = s.db();
  Eligibility e;
  CHZ_ASSIGN_OR_RETURN(detail::HoursFact h, detail::hours_for(db, person, course));
  e.hours_done_minutes = h.done_minutes;
  e.hours_needed_minutes = h.needed_minutes;
  e.hours_met = h.met;
  CHZ_ASSIGN_OR_RETURN(
      std::int64_t local,
      db.query_int("SELECT count(*) FROM exam_attempts WHERE person = ? AND course_id = ?", person,
                   course.id));
  CHZ_ASSIGN_OR_RETURN(std::int64_t remote,
                       db.query_int("SELECT count(DISTINCT attempt_id) FROM exam_remote_attempts "
                                    "WHERE person = ? AND course_id = ?",
                                    person, course.id));
  CHZ_ASSIGN_OR_RETURN(
      std::int64_t passed,
      db.query_int("SELECT (SELECT count(*) FROM exam_attempts WHERE person = ?1 AND "
                   "course_id = ?2 AND passed = 1) + (SELECT count(*) FROM "
                   "exam_remote_attempts WHERE person = ?1 AND course_id = ?2 AND passed = 1)",
                   person, course.id));
  e.attempts_used = static_cast<int>(local + remote);
  e.attempts_allowed = course.blueprint.max_attempts;
  e.already_passed = passed > 0;
  return e;
}

Result<std::optional<std::string>> open_attempt_of(Store& s, const std::string& person,
                                                   const std::string& course_id) {
  auto id = s.db().query_text(
      "SELECT id FROM exam_attempts WHERE person = ? AND course_id = ? AND status = 'open' ORDER "
      "BY id DESC "
      "LIMIT 1",
      person, course_id);
  if (!id.ok()) {
    if (id.status().code() == Code::kNotFound) return std::optional<std::string>();
    return id.status();
  }
  return std::optional<std::string>(*id);
}

Result<AttemptRun> resume_attempt(Store& s, const Clock& clock, const std::string& attempt_id,
                                  const std::string& boot_id) {
  Db& db = s.db();
  CHZ_TRY(db.transaction([&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(AttemptRow row, detail::load_attempt(db, attempt_id));
    if (!row.open() || row.boot_id == boot_id) return OkStatus();
    CHZ_ASSIGN_OR_RETURN(
        std::int64_t max_down,
        db.query_int("SELECT max_downtime_ms FROM exam_sittings WHERE id = ?", row.sitting_id));
    std::int64_t now = clock.now_ms();
    std::int64_t gap = now > row.checkpoint_ms ? now - row.checkpoint_ms : 0;
    std::int64_t charged = gap > max_down ? gap - max_down : 0;
    if (gap > 0)
      CHZ_TRY(
          db.run("INSERT OR REPLACE INTO exam_gaps(attempt_id, from_ms, to_ms, charged_ms) VALUES "
                 "(?,?,?,?)",
                 row.id, row.checkpoint_ms, now, charged));
    row.charged_ms += charged;
    row.downtime_ms += gap - charged;
    row.checkpoint_ms = now;
    row.boot_id = boot_id;
    CHZ_TRY(db.run(
        "UPDATE exam_attempts SET charged_ms = ?, checkpoint_ms = ?, downtime_ms = ?, boot_id = ? "
        "WHERE id = ?",
        row.charged_ms, row.checkpoint_ms, row.downtime_ms, row.boot_id, row.id));
    CHZ_TRY(append_audit(db, clock, "person:" + row.person, "exam.resume",
                         json{{"attempt", row.id}, {"gap_ms", gap}, {"charged_ms", charged}}));
    if (row.remaining_at(now) <= 0) CHZ_TRY(detail::submit_in_tx(db, clock, row, "timeout"));
    return OkStatus();
  }));
  return AttemptRun{attempt_id, boot_id};
}

Result<AttemptRun> start_attempt(Store& s, const Clock& clock, const content::Course& course,
                                 const std::string& person, const std::string& sitting_id,
                                 std::string_view proctor_code, const std::string& boot_id,
                                 std::uint64_t seed) {
  Db& db = s.db();
  CHZ_ASSIGN_OR_RETURN(Sitting st, get_sitting(s, sitting_id));
  if (st.course_id != course.id)
    return refuse(Code::kInvalidArgument, "exam.course_mismatch",
                  "the sitting is for another course");
  CHZ_ASSIGN_OR_RETURN(auto existing, open_attempt_of(s, person, course.id));
  if (existing) return resume_attempt(s, clock, *existing, boot_id);
  if (!st.open())
    return refuse(Code::kFailedPrecondition, "exam.sitting_closed", "the exam sitting is closed");
  if (!equal_ct(as_bytes(proctor_code), as_bytes(st.proctor_code)))
    return refuse(Code::kUnauthenticated, "exam.proctor_code", "wrong proctor code");
  if (!detail::is_enrolled(db, st.class_id, person))
    return refuse(Code::kPermissionDenied, "exam.not_enrolled",
                  "the person is not enrolled in this class");
  CHZ_ASSIGN_OR_RETURN(Eligibility e, eligibility(s, person, course));
  if (e.already_passed)
    return refuse(Code::kFailedPrecondition, "exam.already_passed",
                  "the person already passed this exam");
  if (!e.hours_met)
    return refuse(Code::kFailedPrecondition, "exam.hours_not_met",
                  fmt::format("training hours not met: {} of {} minutes", e.hours_done_minutes,
                              e.hours_needed_minutes));
  if (e.attempts_used >= e.attempts_allowed)
    return refuse(
        Code::kFailedPrecondition, "exam.no_attempts_left",
        fmt::format("no attempts left: {} of {} used", e.attempts_used, e.attempts_allowed));
  CHZ_ASSIGN_OR_RETURN(Paper paper, draw_paper(course, seed));
  CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
  std::string id = new_uuid_text(now);
  CHZ_TRY(db.transaction([&]() -> Status {
    CHZ_TRY(
        db.run("INSERT INTO exam_attempts(id, sitting_id, person, course_id, content_version, "
               "attempt_no, seed, "
               "started_ms, time_limit_ms, charged_ms, checkpoint_ms, boot_id, pass_x100) "
               "VALUES (?,?,?,?,?,?,?,?,?,0,?,?,?)",
               id, sitting_id, person, course.id, paper.content_version,
               std::int64_t(e.attempts_used + 1), fmt::format("{:016x}", seed), now,
               st.time_limit_ms, clock.now_ms(), boot_id, st.pass_x100));
    CHZ_ASSIGN_OR_RETURN(
        Stmt ins, db.prepare("INSERT INTO exam_items(attempt_id, pos, question_id, option_order, "
                             "points_x100, snapshot) VALUES (?,?,?,?,?,?)"));
    for (std::size_t i = 0; i < paper.items.size(); ++i) {
      const auto& it = paper.items[i];
      CHZ_TRY(ins.reset());
      ins.bind_all(id, std::int64_t(i), it.q.id, order_text(it.order), it.points_x100,
                   question_json(it.q));
      CHZ_TRY(ins.run());
    }
    // Single use: the next trainee needs the new code from the trainer.
    CHZ_TRY(db.run("UPDATE exam_sittings SET proctor_code = ? WHERE id = ?", new_proctor_code(),
                   sitting_id));
    return append_audit(db, clock, "person:" + person, "exam.start",
                        json{{"attempt", id},
                             {"sitting", sitting_id},
                             {"attempt_no", e.attempts_used + 1},
                             {"content_version", paper.content_version}});
  }));
  return AttemptRun{id, boot_id};
}

}  // namespace chz::kiosk::exam
