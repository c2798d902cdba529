// Attendance (考勤): check-in and check-out events in an open session, by the
// trainee at the kiosk or by a trainer from the roster. Events are facts;
// nothing is updated in place: a correction is a new record naming the one
// it corrects (an event or an earlier correction), with who and why. At
// close the trainer confirms the roster (a record) and decides, per person
// still checked in, whether the missing check-out is credited to the close
// or earns nothing; only confirmed sessions count toward hours.
//
// Every write here is one transaction: fact record + outbox + audit.
// Refusals are kFailedPrecondition / kAlreadyExists / kPermissionDenied with
// a Status key the UI turns into words.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/db.h"
#include "kiosk/actor.h"

namespace chz::kiosk {

// Events may come this far before the session's start or after its end.
inline constexpr std::int64_t kWindowToleranceMs = 15LL * 60 * 1000;

enum class SessionState { kScheduled, kOpen, kClosed };
Result<SessionState> session_state(Db& db, const std::string& session);

// A trainer of the class (any trainer if the class names none) opens a
// session within its window. Refusals: "time.unconfirmed", "session.closed",
// "session.already_open", "session.outside_window", "session.not_your_class".
Status open_session(Db& db, const Clock& clock, const Actor& trainer, const std::string& session);

// Checks `person` in (or out). The actor is the trainee themself
// ("attendance.not_self" otherwise) or a trainer. Refusals:
// "time.unconfirmed", "session.not_open", "session.closed",
// "attendance.outside_window", "attendance.not_enrolled",
// "attendance.already_in" (check-in while in), "attendance.not_in"
// (check-out without check-in). Returns the event's record uuid.
Result<std::string> check_in(Db& db, const Clock& clock, const Actor& actor,
                             const std::string& session, const std::string& person);
Result<std::string> check_out(Db& db, const Clock& clock, const Actor& actor,
                              const std::string& session, const std::string& person);

enum class MissingCheckout { kCreditToClose, kNone };
struct CloseDecision {
  MissingCheckout missing = MissingCheckout::kNone;   // for everyone still in...
  std::map<std::string, MissingCheckout> per_person;  // ...unless named here
};
struct CloseResult {
  std::string record;                        // the roster confirmation's uuid
  std::vector<std::string> present;          // checked in and out
  std::vector<std::string> credit_to_close;  // flagged: no check-out, credited to close
  std::vector<std::string> no_checkout;      // flagged: no check-out, no credit
};
// The trainer closes the session and confirms its roster. Refusals:
// "time.unconfirmed", "session.not_open", "session.closed".
Result<CloseResult> close_session(Db& db, const Clock& clock, const Actor& trainer,
                                  const std::string& session, const CloseDecision& decision);

// A trainer corrects an attendance event or an earlier correction: the
// event happened at `at_ms` instead, or (nullopt) did not happen at all.
// Refusals: "correction.reason" (empty reason), "correction.target"
// (unknown record), "correction.outside_window". Returns the new uuid.
Result<std::string> correct_attendance(Db& db, const Clock& clock, const Actor& trainer,
                                       const std::string& record, std::optional<std::int64_t> at_ms,
                                       const std::string& reason);

}  // namespace chz::kiosk
