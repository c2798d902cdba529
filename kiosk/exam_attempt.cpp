// A running attempt: loading, time checkpoints, the question view, answers
// and flags, each change one durable transaction.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "kiosk/exam_internal.h"
#include "kiosk/kiosk_time.h"

namespace chz::kiosk::exam {

using detail::AttemptRow;
using nlohmann::json;

namespace detail {

Result<AttemptRow> load_attempt(Db& db, const std::string& id) {
  CHZ_ASSIGN_OR_RETURN(
      Stmt st,
      db.prepare(
          "SELECT id, sitting_id, person, course_id, boot_id, status, reason, record_uuid, "
          "content_version, started_ms, time_limit_ms, charged_ms, checkpoint_ms, downtime_ms, "
          "submitted_ms, earned_x100, total_x100, theory_x100, pass_x100, attempt_no, "
          "current_pos, passed FROM exam_attempts WHERE id = ?"));
  st.bind(1, id);
  CHZ_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return Status(Code::kNotFound, "no such exam attempt", "exam.attempt_unknown");
  AttemptRow a;
  a.id = st.text(0);
  a.sitting_id = st.text(1);
  a.person = st.text(2);
  a.course_id = st.text(3);
  a.boot_id = st.text(4);
  a.status = st.text(5);
  a.reason = st.text(6);
  a.record_uuid = st.text(7);
  a.content_version = st.int64(8);
  a.started_ms = st.int64(9);
  a.time_limit_ms = st.int64(10);
  a.charged_ms = st.int64(11);
  a.checkpoint_ms = st.int64(12);
  a.downtime_ms = st.int64(13);
  a.submitted_ms = st.int64(14);
  a.earned_x100 = st.int64(15);
  a.total_x100 = st.int64(16);
  a.theory_x100 = st.int64(17);
  a.pass_x100 = st.int64(18);
  a.attempt_no = static_cast<int>(st.int64(19));
  a.current_pos = static_cast<int>(st.int64(20));
  a.passed = st.int64(21) != 0;
  return a;
}

Result<AttemptRow> load_run(Db& db, const AttemptRun& run) {
  CHZ_ASSIGN_OR_RETURN(AttemptRow a, load_attempt(db, run.attempt_id));
  if (a.open() && a.boot_id != run.boot_id)
    return Status(Code::kFailedPrecondition, "the attempt was resumed by another run of the kiosk",
                  "exam.stale_run");
  return a;
}

Status checkpoint(Db& db, AttemptRow& row, std::int64_t now) {
  row.charged_ms = row.used_at(now);
  row.checkpoint_ms = now;
  return db.run("UPDATE exam_attempts SET charged_ms = ?, checkpoint_ms = ? WHERE id = ?",
                row.charged_ms, row.checkpoint_ms, row.id);
}

Result<std::vector<PaperItem>> load_items(Db& db, const std::string& attempt_id) {
  CHZ_ASSIGN_OR_RETURN(Stmt st,
                       db.prepare("SELECT option_order, points_x100, snapshot FROM exam_items "
                                  "WHERE attempt_id = ? ORDER BY pos"));
  st.bind(1, attempt_id);
  std::vector<PaperItem> out;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    PaperItem it;
    CHZ_ASSIGN_OR_RETURN(it.q, parse_question_json(st.text(2)));
    std::string order = st.text(0);
    CHZ_ASSIGN_OR_RETURN(it.order,
                         parse_order_text(order, order.empty() ? 0 : it.q.options.size()));
    it.points_x100 = st.int64(1);
    out.push_back(std::move(it));
  }
  return out;
}

}  // namespace detail

namespace {

Result<PaperItem> load_item(Db& db, const std::string& attempt_id, int pos) {
  CHZ_ASSIGN_OR_RETURN(Stmt st,
                       db.prepare("SELECT option_order, points_x100, snapshot FROM exam_items "
                                  "WHERE attempt_id = ? AND pos = ?"));
  st.bind_all(attempt_id, std::int64_t(pos));
  CHZ_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return Status(Code::kOutOfRange, "no such question on the paper", "exam.bad_position");
  PaperItem it;
  CHZ_ASSIGN_OR_RETURN(it.q, parse_question_json(st.text(2)));
  std::string order = st.text(0);
  CHZ_ASSIGN_OR_RETURN(it.order, parse_order_text(order, order.empty() ? 0 : it.q.options.size()));
  it.points_x100 = st.int64(1);
  return it;
}

// Display positions -> original indices (and back), validated.
Result<Answer> to_stored(const PaperItem& it, const Answer& shown) {
  Answer a = shown;
  for (int& c : a.choices) {
    if (c < 0 || static_cast<std::size_t>(c) >= it.order.size())
      return Status(Code::kInvalidArgument, "choice out of range", "exam.bad_answer");
    c = it.order[c];
  }
  std::sort(a.choices.begin(), a.choices.end());
  a.choices.erase(std::unique(a.choices.begin(), a.choices.end()), a.choices.end());
  using content::QuestionType;
  if (it.q.type == QuestionType::kSingle && a.choices.size() > 1)
    return Status(Code::kInvalidArgument, "a single-choice question takes one answer",
                  "exam.bad_answer");
  if ((it.q.type == QuestionType::kTrueFalse || it.q.type == QuestionType::kFill) &&
      !a.choices.empty())
    return Status(Code::kInvalidArgument, "this question takes no option", "exam.bad_answer");
  if (it.q.type != QuestionType::kTrueFalse && a.truth)
    return Status(Code::kInvalidArgument, "only true/false questions take 对/错",
                  "exam.bad_answer");
  if (it.q.type != QuestionType::kFill && !a.blanks.empty())
    return Status(Code::kInvalidArgument, "only fill-in questions take text", "exam.bad_answer");
  if (a.blanks.size() > it.q.blanks.size())
    return Status(Code::kInvalidArgument, "more answers than blanks", "exam.bad_answer");
  return a;
}

Answer to_shown(const PaperItem& it, Answer a) {
  for (int& c : a.choices)
    for (std::size_t d = 0; d < it.order.size(); ++d)
      if (it.order[d] == c) {
        c = static_cast<int>(d);
        break;
      }
  std::sort(a.choices.begin(), a.choices.end());
  return a;
}

// Runs `body` on the held, open attempt in one transaction after a
// checkpoint; auto-submits instead (and returns "exam.time_up") if time ran out.
Status with_open_attempt(Store& s, const Clock& clock, const AttemptRun& run,
                         const std::function<Status(Db&, AttemptRow&, std::int64_t now)>& body) {
  Db& db = s.db();
  bool timed_out = false;
  CHZ_TRY(db.transaction([&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(AttemptRow row, detail::load_run(db, run));
    if (!row.open())
      return Status(Code::kFailedPrecondition, "the attempt is already submitted",
                    "exam.submitted");
    std::int64_t now = clock.now_ms();
    if (row.remaining_at(now) <= 0) {
      CHZ_TRY(detail::checkpoint(db, row, now));
      timed_out = true;
      return detail::submit_in_tx(db, clock, row, "timeout");
    }
    // One write of the attempt row: the time checkpoint and the current
    // question together (fewer statements on the hot path of every answer).
    row.charged_ms = row.used_at(now);
    row.checkpoint_ms = now;
    CHZ_TRY(body(db, row, now));
    return db.run(
        "UPDATE exam_attempts SET charged_ms = ?, checkpoint_ms = ?, current_pos = ? WHERE id = ?",
        row.charged_ms, row.checkpoint_ms, std::int64_t(row.current_pos), row.id);
  }));
  if (timed_out)
    return Status(Code::kFailedPrecondition, "time is up: the paper was submitted", "exam.time_up");
  return OkStatus();
}

}  // namespace

Result<QuestionView> question(Store& s, const Clock& clock, const AttemptRun& run, int pos) {
  Db& db = s.db();
  CHZ_ASSIGN_OR_RETURN(AttemptRow row, detail::load_run(db, run));
  if (pos < 0) pos = row.current_pos;
  CHZ_ASSIGN_OR_RETURN(PaperItem it, load_item(db, row.id, pos));
  QuestionView v;
  v.pos = pos;
  CHZ_ASSIGN_OR_RETURN(
      std::int64_t count,
      db.query_int("SELECT count(*) FROM exam_items WHERE attempt_id = ?", row.id));
  v.count = static_cast<int>(count);
  v.type = it.q.type;
  v.stem = it.q.stem;
  for (int o : it.order) v.options.push_back(it.q.options[o]);
  v.image = it.q.image;
  v.blanks = static_cast<int>(it.q.blanks.size());
  v.points = it.points_x100 / 100.0;
  CHZ_ASSIGN_OR_RETURN(
      Stmt st,
      db.prepare("SELECT answer, flagged FROM exam_answers WHERE attempt_id = ? AND pos = ?"));
  st.bind_all(row.id, std::int64_t(pos));
  CHZ_ASSIGN_OR_RETURN(bool has, st.step());
  if (has) {
    CHZ_ASSIGN_OR_RETURN(Answer a, parse_answer_json(st.text(0)));
    v.answer = to_shown(it, a);
    v.flagged = st.int64(1) != 0;
  }
  CHZ_ASSIGN_OR_RETURN(
      std::int64_t answered,
      db.query_int("SELECT count(*) FROM exam_answers WHERE attempt_id = ? AND answer <> ''",
                   row.id));
  v.answered = static_cast<int>(answered);
  v.remaining_ms = row.open() ? row.remaining_at(clock.now_ms()) : 0;
  return v;
}

Status go_to(Store& s, const Clock& clock, const AttemptRun& run, int pos) {
  return with_open_attempt(s, clock, run, [&](Db& db, AttemptRow& row, std::int64_t) -> Status {
    CHZ_TRY(load_item(db, row.id, pos).status());
    row.current_pos = pos;
    return OkStatus();
  });
}

Status answer(Store& s, const Clock& clock, const AttemptRun& run, int pos, const Answer& shown) {
  return with_open_attempt(s, clock, run, [&](Db& db, AttemptRow& row, std::int64_t) -> Status {
    CHZ_ASSIGN_OR_RETURN(PaperItem it, load_item(db, row.id, pos));
    CHZ_ASSIGN_OR_RETURN(Answer stored, to_stored(it, shown));
    CHZ_ASSIGN_OR_RETURN(std::int64_t saved, kiosk_now(db, clock));
    // No UPSERT in SQLite 3.15: keep the flag and count through a sub-select.
    CHZ_TRY(
        db.run("INSERT OR REPLACE INTO exam_answers(attempt_id, pos, answer, flagged, elapsed_ms, "
               "saved_ms, "
               "changes) VALUES (?1, ?2, ?3, coalesce((SELECT flagged FROM exam_answers WHERE "
               "attempt_id = ?1 "
               "AND pos = ?2), 0), ?4, ?5, coalesce((SELECT changes FROM exam_answers WHERE "
               "attempt_id = ?1 "
               "AND pos = ?2), 0) + 1)",
               row.id, std::int64_t(pos), answer_json(stored), row.charged_ms, saved));
    row.current_pos = pos;
    return OkStatus();
  });
}

Status flag(Store& s, const Clock& clock, const AttemptRun& run, int pos, bool flagged) {
  return with_open_attempt(s, clock, run, [&](Db& db, AttemptRow& row, std::int64_t) -> Status {
    CHZ_TRY(load_item(db, row.id, pos).status());
    CHZ_ASSIGN_OR_RETURN(std::int64_t saved, kiosk_now(db, clock));
    CHZ_TRY(
        db.run("INSERT OR IGNORE INTO exam_answers(attempt_id, pos, elapsed_ms, saved_ms) VALUES "
               "(?,?,?,?)",
               row.id, std::int64_t(pos), row.charged_ms, saved));
    CHZ_TRY(db.run("UPDATE exam_answers SET flagged = ? WHERE attempt_id = ? AND pos = ?", flagged,
                   row.id, std::int64_t(pos)));
    row.current_pos = pos;
    return OkStatus();
  });
}

Result<std::int64_t> remaining_ms(Store& s, const Clock& clock, const AttemptRun& run) {
  CHZ_ASSIGN_OR_RETURN(AttemptRow row, detail::load_run(s.db(), run));
  return row.open() ? row.remaining_at(clock.now_ms()) : std::int64_t(0);
}

Result<Tick> tick(Store& s, const Clock& clock, const AttemptRun& run) {
  Db& db = s.db();
  CHZ_ASSIGN_OR_RETURN(AttemptRow row, detail::load_run(db, run));
  Tick t;
  if (!row.open()) {
    t.submitted = true;
    return t;
  }
  std::int64_t now = clock.now_ms();
  t.remaining_ms = row.remaining_at(now);
  if (t.remaining_ms > 0 && now - row.checkpoint_ms < kCheckpointEveryMs) return t;
  CHZ_TRY(db.transaction([&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(AttemptRow r, detail::load_run(db, run));
    if (!r.open()) return OkStatus();
    CHZ_TRY(detail::checkpoint(db, r, now));
    if (r.remaining_at(now) <= 0) return detail::submit_in_tx(db, clock, r, "timeout");
    return OkStatus();
  }));
  t.submitted = t.remaining_ms <= 0;
  return t;
}

}  // namespace chz::kiosk::exam
