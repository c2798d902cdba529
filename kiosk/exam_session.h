// Theory exams at the kiosk: sittings, attempts that survive power loss,
// answers saved durably one by one, submit and results. The UI calls only
// this header (and certificate_issue.h / certificate_render.h).
//
// Time. An attempt's clock is "exam time used" (charged_ms) as of a
// checkpoint on the device clock. While the kiosk runs (the same boot id)
// every second counts. After a crash or power loss (a new boot id) the
// time from the last checkpoint to the resume is downtime: it is forgiven
// up to the sitting's max_downtime_ms, the rest is charged, and the gap is
// recorded for the trainer. Checkpoints happen at every answer, flag and
// move, and in tick() at most every kCheckpointEveryMs, so a crash forgives
// at most that much running time besides real downtime.
//
// Positions (pos) are 0-based display positions on the paper; choices in
// Answer are DISPLAY option positions here (A = 0 as shown), converted to
// the question's own indices before storage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "content/model.h"
#include "kiosk/actor.h"
#include "kiosk/grading_rules.h"
#include "kiosk/store.h"

namespace chz::kiosk::exam {

inline constexpr std::int64_t kCheckpointEveryMs = 10'000;
inline constexpr std::int64_t kDefaultMaxDowntimeMs = 30LL * 60 * 1000;

// A random id for this run of the kiosk program; the app makes one at start
// and passes it to every call (tests make one per simulated boot).
std::string new_boot_id();
// A random seed for draw_paper.
std::uint64_t new_seed();

struct Sitting {
  std::string id, class_id, course_id, opened_by;
  std::int64_t course_version = 0;
  std::int64_t opened_ms = 0, closed_ms = 0;  // corrected time; closed 0 = open
  std::string proctor_code;                   // 6 digits, shown on the trainer's screen
  std::int64_t max_downtime_ms = 0, time_limit_ms = 0, pass_x100 = 0;
  int max_attempts = 0;
  bool open() const { return closed_ms == 0; }
};

// A trainer opens a sitting of `course` for `class_id`. The sitting fixes
// the time limit, the theory pass mark (the stricter of the course's
// theory_pass and the blueprint's pass_mark), partial credit and retakes. Refuses a course whose
// bank cannot fill its blueprint ("exam.bank_shortfall"), a non-trainer
// (kPermissionDenied), an unknown class. Audited.
Result<Sitting> open_sitting(Store& s, const Clock& clock, const Actor& trainer,
                             const content::Course& course, const std::string& class_id,
                             std::int64_t max_downtime_ms = kDefaultMaxDowntimeMs);
// Closes it: no new starts; running attempts continue to their end. Audited.
Status close_sitting(Store& s, const Clock& clock, const Actor& trainer,
                     const std::string& sitting_id);
// kNotFound ("exam.sitting_unknown").
Result<Sitting> get_sitting(Store& s, const std::string& sitting_id);
// Open sittings for a class, newest first.
Result<std::vector<Sitting>> open_sittings(Store& s, const std::string& class_id);

struct Eligibility {
  bool hours_met = false;
  std::int64_t hours_done_minutes = 0, hours_needed_minutes = 0;
  int attempts_used = 0;  // this kiosk + what sync told it of the site's others
  int attempts_allowed = 0;
  bool already_passed = false;
  bool eligible() const { return hours_met && !already_passed && attempts_used < attempts_allowed; }
};
Result<Eligibility> eligibility(Store& s, const std::string& person, const content::Course& course);

struct AttemptRun {
  std::string attempt_id;
  std::string boot_id;
};

// Starts the person's attempt in an open sitting with its single-use proctor
// code (a new code replaces it on success). If the person already has an
// open attempt for the course it is resumed instead (no code needed).
// Refusals, each with its own key: "exam.sitting_closed", "exam.proctor_code"
// (kUnauthenticated), "exam.hours_not_met", "exam.no_attempts_left",
// "exam.already_passed", "exam.not_enrolled", "exam.course_mismatch".
Result<AttemptRun> start_attempt(Store& s, const Clock& clock, const content::Course& course,
                                 const std::string& person, const std::string& sitting_id,
                                 std::string_view proctor_code, const std::string& boot_id,
                                 std::uint64_t seed);
// The person's open attempt for `course_id`, if any (to resume after restart).
Result<std::optional<std::string>> open_attempt_of(Store& s, const std::string& person,
                                                   const std::string& course_id);
// Takes over an open attempt for this boot. From another boot the time since
// the last checkpoint is downtime (see top); if that leaves no time, the
// attempt is auto-submitted (then result() shows it). Same boot: no gap.
Result<AttemptRun> resume_attempt(Store& s, const Clock& clock, const std::string& attempt_id,
                                  const std::string& boot_id);

struct QuestionView {
  int pos = 0, count = 0;
  content::QuestionType type{};
  std::string stem;
  std::vector<std::string> options;  // in display order
  std::string image;                 // media path in the course package, or ""
  int blanks = 0;                    // 填空: number of blanks
  Answer answer;                     // current answer, display positions
  bool flagged = false;
  double points = 0;
  int answered = 0;  // answered questions on the paper
  std::int64_t remaining_ms = 0;
};
// `pos` < 0 = the attempt's current question. Reading does not write.
Result<QuestionView> question(Store& s, const Clock& clock, const AttemptRun& run, int pos = -1);
// Moves the current question (what resume shows) to `pos`. Durable.
Status go_to(Store& s, const Clock& clock, const AttemptRun& run, int pos);
// Saves the answer of `pos` (display positions; an empty Answer clears it)
// in one durable transaction with the exam time used; `pos` becomes current.
// "exam.time_up" (kFailedPrecondition) if time ran out: the attempt is
// auto-submitted instead and the answer is not saved. "exam.stale_run" if
// another boot resumed the attempt. "exam.bad_answer" for a choice out of range.
Status answer(Store& s, const Clock& clock, const AttemptRun& run, int pos, const Answer& a);
Status flag(Store& s, const Clock& clock, const AttemptRun& run, int pos, bool flagged);
// Remaining exam time (never negative). Reading does not write.
Result<std::int64_t> remaining_ms(Store& s, const Clock& clock, const AttemptRun& run);

struct Tick {
  std::int64_t remaining_ms = 0;
  bool submitted = false;  // time was up: auto-submitted now (or before)
};
// Called by the UI once a second: checkpoints at most every kCheckpointEveryMs
// and auto-submits when time is up.
Result<Tick> tick(Store& s, const Clock& clock, const AttemptRun& run);

struct SubmitPreview {
  int unanswered = 0, flagged = 0, count = 0;
};
// What the confirmation dialog says ("还有 N 题未作答").
Result<SubmitPreview> submit_preview(Store& s, const AttemptRun& run);

struct ItemResult {
  int pos = 0;
  std::string question_id, stem, explanation;
  content::QuestionType type{};
  std::string your_answer, right_answer;  // readable: "A C", "对", "工蜂 / ZW"
  std::int64_t earned_x100 = 0, points_x100 = 0;
};
struct Gap {
  std::int64_t from_ms = 0, to_ms = 0, charged_ms = 0;
};
struct AttemptResult {
  std::string attempt_id, person, course_id, sitting_id;
  int attempt_no = 0;
  bool submitted = false;
  std::string reason;  // "manual" | "timeout"
  std::int64_t theory_x100 = 0, pass_x100 = 0, earned_x100 = 0, total_x100 = 0;
  bool passed = false;
  std::int64_t started_ms = 0, submitted_ms = 0, downtime_ms = 0, charged_ms = 0;
  std::vector<Gap> gaps;
  std::vector<ItemResult> items;  // explanations shown after the exam
};
// Grades and submits (one transaction: attempt, answers, scores as an
// exam_attempt record, audit). `reason` "manual" or "timeout". Submitting a
// submitted attempt returns its result unchanged.
Result<AttemptResult> submit(Store& s, const Clock& clock, const AttemptRun& run,
                             std::string_view reason = "manual");
// Result of any attempt (items graded only once submitted).
Result<AttemptResult> result(Store& s, const std::string& attempt_id);

// The trainer's view of a sitting: every attempt with progress and gaps.
struct AttemptSummary {
  std::string attempt_id, person;
  bool submitted = false;
  int answered = 0, count = 0;
  std::int64_t theory_x100 = 0, downtime_ms = 0;
  bool passed = false;
  std::vector<Gap> gaps;
};
Result<std::vector<AttemptSummary>> sitting_attempts(Store& s, const std::string& sitting_id);

}  // namespace chz::kiosk::exam
