#include "kiosk/attendance.h"

#include "kiosk/classes.h"
#include "kiosk/domain_write.h"
#include "kiosk/hours.h"
#include "kiosk/kiosk_time.h"
#include "sync/protocol/record_kinds.h"

namespace chz::kiosk {

namespace k = sync::kinds;
using nlohmann::json;

namespace {

Status refuse(Code c, std::string msg, std::string key) {
  return Status(c, std::move(msg), std::move(key));
}

Status require_trusted_time(Db& db, const Clock& clock) {
  CHZ_ASSIGN_OR_RETURN(TimeStatus t, time_status(db, clock));
  if (!t.trusted())
    return refuse(Code::kFailedPrecondition,
                  "the kiosk's clock is in doubt; a trainer must confirm the time",
                  "time.unconfirmed");
  return OkStatus();
}

Status require_class_trainer(Db& db, const Actor& a, const SessionInfo& s) {
  CHZ_TRY(require_role(db, a, {Role::kTrainer}));
  CHZ_ASSIGN_OR_RETURN(ClassInfo c, get_class(db, s.class_id));
  if (c.trainers.empty()) return OkStatus();
  for (const auto& t : c.trainers)
    if (t == a.id) return OkStatus();
  return refuse(Code::kPermissionDenied, "only this class's trainers may do this",
                "session.not_your_class");
}

// Currently checked in, by the effective events.
Result<bool> is_in(Db& db, const std::string& session, const std::string& person) {
  CHZ_ASSIGN_OR_RETURN(auto evs, effective_events(db, session, person));
  bool in = false;
  for (const auto& e : evs) in = e.in;
  return in;
}

Result<std::string> attend(Db& db, const Clock& clock, const Actor& actor,
                           const std::string& session, const std::string& person, bool in) {
  std::string uuid;
  CHZ_TRY(db.transaction([&]() -> Status {
    if (actor.role == Role::kTrainee) {
      if (actor.id != person)
        return refuse(Code::kPermissionDenied, "a trainee checks in only themself",
                      "attendance.not_self");
    } else {
      CHZ_TRY(require_role(db, actor, {Role::kTrainer}));
    }
    CHZ_TRY(require_trusted_time(db, clock));
    CHZ_ASSIGN_OR_RETURN(SessionInfo s, get_session(db, session));
    CHZ_ASSIGN_OR_RETURN(SessionState st, session_state(db, session));
    if (st == SessionState::kScheduled)
      return refuse(Code::kFailedPrecondition, "the session is not open", "session.not_open");
    if (st == SessionState::kClosed)
      return refuse(Code::kFailedPrecondition, "the session is closed", "session.closed");
    CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
    if (now < s.start_ms - kWindowToleranceMs || now > s.end_ms + kWindowToleranceMs)
      return refuse(Code::kFailedPrecondition, "outside the session's time",
                    "attendance.outside_window");
    CHZ_ASSIGN_OR_RETURN(bool enrolled, is_enrolled(db, s.class_id, person));
    if (!enrolled)
      return refuse(Code::kFailedPrecondition, "not enrolled in this class",
                    "attendance.not_enrolled");
    CHZ_ASSIGN_OR_RETURN(bool now_in, is_in(db, session, person));
    if (in && now_in)
      return refuse(Code::kAlreadyExists, "already checked in", "attendance.already_in");
    if (!in && !now_in)
      return refuse(Code::kFailedPrecondition, "not checked in", "attendance.not_in");
    std::string by = actor.role == Role::kTrainee ? "self" : "staff:" + actor.id;
    json body = {{"session", session},
                 {"person", person},
                 {"event", in ? "in" : "out"},
                 {"at_ms", now},
                 {"by", by}};
    CHZ_ASSIGN_OR_RETURN(auto meta,
                         write_record(db, clock, actor, k::kAttendance, body,
                                      in ? "attendance.check_in" : "attendance.check_out",
                                      {{"session", session}, {"person", person}}));
    uuid = meta.uuid;
    return OkStatus();
  }));
  return uuid;
}

}  // namespace

Result<SessionState> session_state(Db& db, const std::string& session) {
  CHZ_ASSIGN_OR_RETURN(
      std::int64_t closed,
      db.query_int("SELECT count(*) FROM roster_confirms WHERE session = ?", session));
  if (closed) return SessionState::kClosed;
  CHZ_ASSIGN_OR_RETURN(
      std::int64_t open,
      db.query_int("SELECT count(*) FROM session_opens WHERE session = ?", session));
  return open ? SessionState::kOpen : SessionState::kScheduled;
}

Status open_session(Db& db, const Clock& clock, const Actor& trainer, const std::string& session) {
  return db.transaction([&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(SessionInfo s, get_session(db, session));
    CHZ_TRY(require_class_trainer(db, trainer, s));
    CHZ_TRY(require_trusted_time(db, clock));
    CHZ_ASSIGN_OR_RETURN(SessionState st, session_state(db, session));
    if (st == SessionState::kClosed)
      return refuse(Code::kFailedPrecondition, "the session is closed", "session.closed");
    if (st == SessionState::kOpen)
      return refuse(Code::kAlreadyExists, "the session is already open", "session.already_open");
    CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
    if (now < s.start_ms - kWindowToleranceMs || now > s.end_ms + kWindowToleranceMs)
      return refuse(Code::kFailedPrecondition, "a session opens on its day, around its time",
                    "session.outside_window");
    json body = {{"session", session}, {"by", trainer.id}, {"at_ms", now}};
    return write_record(db, clock, trainer, k::kSessionOpen, body, "session.open",
                        {{"session", session}})
        .status();
  });
}

Result<std::string> check_in(Db& db, const Clock& clock, const Actor& actor,
                             const std::string& session, const std::string& person) {
  return attend(db, clock, actor, session, person, true);
}

Result<std::string> check_out(Db& db, const Clock& clock, const Actor& actor,
                              const std::string& session, const std::string& person) {
  return attend(db, clock, actor, session, person, false);
}

Result<CloseResult> close_session(Db& db, const Clock& clock, const Actor& trainer,
                                  const std::string& session, const CloseDecision& decision) {
  CloseResult out;
  CHZ_TRY(db.transaction([&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(SessionInfo s, get_session(db, session));
    CHZ_TRY(require_class_trainer(db, trainer, s));
    CHZ_TRY(require_trusted_time(db, clock));
    CHZ_ASSIGN_OR_RETURN(SessionState st, session_state(db, session));
    if (st == SessionState::kScheduled)
      return refuse(Code::kFailedPrecondition, "the session is not open", "session.not_open");
    if (st == SessionState::kClosed)
      return refuse(Code::kFailedPrecondition, "the session is closed", "session.closed");
    CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
    CHZ_ASSIGN_OR_RETURN(
        Stmt people,
        db.prepare("SELECT DISTINCT person FROM attendance WHERE session = ? ORDER BY person"));
    people.bind(1, session);
    std::vector<std::string> persons;
    for (;;) {
      CHZ_ASSIGN_OR_RETURN(bool row, people.step());
      if (!row) break;
      persons.push_back(people.text(0));
    }
    for (const auto& p : persons) {
      CHZ_ASSIGN_OR_RETURN(auto evs, effective_events(db, session, p));
      if (evs.empty()) continue;  // every event voided: not on the roster
      if (!evs.back().in) {
        out.present.push_back(p);
        continue;
      }
      auto it = decision.per_person.find(p);
      MissingCheckout m = it != decision.per_person.end() ? it->second : decision.missing;
      (m == MissingCheckout::kCreditToClose ? out.credit_to_close : out.no_checkout).push_back(p);
    }
    json body = {{"session", session},
                 {"by", trainer.id},
                 {"at_ms", now},
                 {"present", out.present},
                 {"credit_to_close", out.credit_to_close},
                 {"no_checkout", out.no_checkout}};
    CHZ_ASSIGN_OR_RETURN(auto meta,
                         write_record(db, clock, trainer, k::kRosterConfirm, body, "session.close",
                                      {{"session", session},
                                       {"present", out.present.size()},
                                       {"credit_to_close", out.credit_to_close},
                                       {"no_checkout", out.no_checkout}}));
    out.record = meta.uuid;
    return OkStatus();
  }));
  return out;
}

Result<std::string> correct_attendance(Db& db, const Clock& clock, const Actor& trainer,
                                       const std::string& record, std::optional<std::int64_t> at_ms,
                                       const std::string& reason) {
  if (reason.find_first_not_of(" \t\n") == std::string::npos)
    return refuse(Code::kInvalidArgument, "a correction says why", "correction.reason");
  std::string uuid;
  CHZ_TRY(db.transaction([&]() -> Status {
    CHZ_TRY(require_role(db, trainer, {Role::kTrainer}));
    // Walk up to the attendance event at the root of the chain.
    std::string root = record;
    for (int depth = 0;; ++depth) {
      CHZ_ASSIGN_OR_RETURN(std::int64_t is_event,
                           db.query_int("SELECT count(*) FROM attendance WHERE uuid = ?", root));
      if (is_event) break;
      auto up = db.query_text("SELECT corrects FROM attendance_corrections WHERE uuid = ?", root);
      if (!up.ok() || depth > 1000)
        return refuse(Code::kNotFound, "no attendance record to correct", "correction.target");
      root = *up;
    }
    CHZ_ASSIGN_OR_RETURN(std::string session,
                         db.query_text("SELECT session FROM attendance WHERE uuid = ?", root));
    CHZ_ASSIGN_OR_RETURN(std::string person,
                         db.query_text("SELECT person FROM attendance WHERE uuid = ?", root));
    CHZ_ASSIGN_OR_RETURN(SessionInfo s, get_session(db, session));
    if (at_ms &&
        (*at_ms < s.start_ms - kWindowToleranceMs || *at_ms > s.end_ms + kWindowToleranceMs))
      return refuse(Code::kInvalidArgument, "the corrected time is outside the session",
                    "correction.outside_window");
    json body = {{"corrects", record}, {"by", trainer.id}, {"reason", reason}};
    if (at_ms)
      body["at_ms"] = *at_ms;
    else
      body["void"] = 1;
    CHZ_ASSIGN_OR_RETURN(
        auto meta,
        write_record(db, clock, trainer, k::kAttendanceCorrection, body, "attendance.correct",
                     {{"corrects", record}, {"session", session}, {"person", person}}));
    uuid = meta.uuid;
    return OkStatus();
  }));
  return uuid;
}

}  // namespace chz::kiosk
