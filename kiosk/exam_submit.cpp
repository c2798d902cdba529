// Submitting (grading, the exam_attempt fact, audit) and reading results.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "kiosk/audit.h"
#include "kiosk/exam_internal.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/outbox.h"
#include "sync/protocol/certificate.h"

namespace chz::kiosk::exam {

using detail::AttemptRow;
using nlohmann::json;

namespace {

std::string letters(const std::vector<int>& shown) {
  std::string s;
  for (int c : shown) s += (s.empty() ? "" : " ") + std::string(1, static_cast<char>('A' + c));
  return s;
}

std::string readable(const PaperItem& it, const Answer& a) {
  using content::QuestionType;
  switch (it.q.type) {
    case QuestionType::kSingle:
    case QuestionType::kMultiple: {
      std::vector<int> shown;
      for (int c : a.choices)
        for (std::size_t d = 0; d < it.order.size(); ++d)
          if (it.order[d] == c) shown.push_back(static_cast<int>(d));
      std::sort(shown.begin(), shown.end());
      return letters(shown);
    }
    case QuestionType::kTrueFalse:
      return a.truth ? (*a.truth ? "对" : "错") : "";
    case QuestionType::kFill: {
      std::string s;
      for (std::size_t i = 0; i < a.blanks.size(); ++i) s += (i ? " / " : "") + a.blanks[i];
      return s;
    }
  }
  return "";
}

Answer right_answer(const content::Question& q) {
  Answer a;
  a.choices = q.correct;
  if (q.type == content::QuestionType::kTrueFalse) a.truth = q.truth;
  for (const auto& b : q.blanks) a.blanks.push_back(b.empty() ? "" : b.front());
  return a;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> load_answers(Db& db,
                                                                       const std::string& id,
                                                                       std::size_t n) {
  std::vector<std::pair<std::string, std::int64_t>> out(n, {"", 0});
  CHZ_ASSIGN_OR_RETURN(
      Stmt st, db.prepare("SELECT pos, answer, elapsed_ms FROM exam_answers WHERE attempt_id = ?"));
  st.bind(1, id);
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    auto pos = static_cast<std::size_t>(st.int64(0));
    if (pos < n) out[pos] = {st.text(1), st.int64(2)};
  }
  return out;
}

Result<std::vector<Gap>> load_gaps(Db& db, const std::string& id) {
  CHZ_ASSIGN_OR_RETURN(
      Stmt st, db.prepare("SELECT from_ms, to_ms, charged_ms FROM exam_gaps WHERE attempt_id = ? "
                          "ORDER BY from_ms"));
  st.bind(1, id);
  std::vector<Gap> out;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    out.push_back({st.int64(0), st.int64(1), st.int64(2)});
  }
  return out;
}

}  // namespace

namespace detail {

Status submit_in_tx(Db& db, const Clock& clock, AttemptRow& row, std::string_view reason) {
  CHZ_ASSIGN_OR_RETURN(auto items, load_items(db, row.id));
  CHZ_ASSIGN_OR_RETURN(auto answers, load_answers(db, row.id, items.size()));
  CHZ_ASSIGN_OR_RETURN(
      std::int64_t partial,
      db.query_int("SELECT partial_credit FROM exam_sittings WHERE id = ?", row.sitting_id));
  CHZ_ASSIGN_OR_RETURN(
      std::string class_id,
      db.query_text("SELECT class_id FROM exam_sittings WHERE id = ?", row.sitting_id));
  std::int64_t earned = 0, total = 0;
  json jitems = json::array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    CHZ_ASSIGN_OR_RETURN(Answer a, parse_answer_json(answers[i].first));
    std::int64_t e = grade(items[i].q, items[i].points_x100, a, partial != 0);
    earned += e;
    total += items[i].points_x100;
    CHZ_TRY(db.run("UPDATE exam_answers SET earned_x100 = ? WHERE attempt_id = ? AND pos = ?", e,
                   row.id, std::int64_t(i)));
    jitems.push_back({{"q", items[i].q.id},
                      {"order", order_text(items[i].order)},
                      {"answer", answers[i].first},
                      {"earned_x100", e},
                      {"points_x100", items[i].points_x100},
                      {"elapsed_ms", answers[i].second}});
  }
  CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
  row.status = "submitted";
  row.reason = std::string(reason);
  row.submitted_ms = now;
  row.earned_x100 = earned;
  row.total_x100 = total;
  row.theory_x100 = score_x100(earned, total);
  row.passed = row.theory_x100 >= row.pass_x100;
  json body = {{"attempt", row.id},
               {"sitting", row.sitting_id},
               {"class", class_id},
               {"course", row.course_id},
               {"content_version", row.content_version},
               {"person", row.person},
               {"attempt_no", row.attempt_no},
               {"started_ms", row.started_ms},
               {"submitted_ms", now},
               {"reason", row.reason},
               {"theory_x100", row.theory_x100},
               {"pass_x100", row.pass_x100},
               {"passed", row.passed ? 1 : 0},
               {"downtime_ms", row.downtime_ms},
               {"items", jitems}};
  CHZ_ASSIGN_OR_RETURN(sync::RecordMeta meta,
                       append_record(db, clock, sync::kinds::kExamAttempt, body));
  row.record_uuid = meta.uuid;
  CHZ_TRY(
      db.run("UPDATE exam_attempts SET status = 'submitted', reason = ?, submitted_ms = ?, "
             "earned_x100 = ?, "
             "total_x100 = ?, theory_x100 = ?, passed = ?, record_uuid = ?, charged_ms = ?, "
             "checkpoint_ms = ? "
             "WHERE id = ?",
             row.reason, now, earned, total, row.theory_x100, row.passed, row.record_uuid,
             row.charged_ms, row.checkpoint_ms, row.id));
  return append_audit(db, clock, "person:" + row.person, "exam.submit",
                      json{{"attempt", row.id},
                           {"record", meta.uuid},
                           {"reason", row.reason},
                           {"theory_x100", row.theory_x100},
                           {"passed", row.passed ? 1 : 0}});
}

}  // namespace detail

Result<SubmitPreview> submit_preview(Store& s, const AttemptRun& run) {
  Db& db = s.db();
  CHZ_ASSIGN_OR_RETURN(AttemptRow row, detail::load_run(db, run));
  SubmitPreview p;
  CHZ_ASSIGN_OR_RETURN(
      std::int64_t n, db.query_int("SELECT count(*) FROM exam_items WHERE attempt_id = ?", row.id));
  CHZ_ASSIGN_OR_RETURN(
      std::int64_t answered,
      db.query_int("SELECT count(*) FROM exam_answers WHERE attempt_id = ? AND answer <> ''",
                   row.id));
  CHZ_ASSIGN_OR_RETURN(
      std::int64_t flagged,
      db.query_int("SELECT count(*) FROM exam_answers WHERE attempt_id = ? AND flagged = 1",
                   row.id));
  p.count = static_cast<int>(n);
  p.unanswered = static_cast<int>(n - answered);
  p.flagged = static_cast<int>(flagged);
  return p;
}

Result<AttemptResult> submit(Store& s, const Clock& clock, const AttemptRun& run,
                             std::string_view reason) {
  Db& db = s.db();
  if (reason != "manual" && reason != "timeout")
    return Status(Code::kInvalidArgument, "submit reason is manual or timeout");
  CHZ_TRY(db.transaction([&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(AttemptRow row, detail::load_run(db, run));
    if (!row.open()) return OkStatus();
    std::int64_t now = clock.now_ms();
    CHZ_TRY(detail::checkpoint(db, row, now));
    return detail::submit_in_tx(db, clock, row, row.remaining_at(now) <= 0 ? "timeout" : reason);
  }));
  return result(s, run.attempt_id);
}

Result<AttemptResult> result(Store& s, const std::string& attempt_id) {
  Db& db = s.db();
  CHZ_ASSIGN_OR_RETURN(AttemptRow row, detail::load_attempt(db, attempt_id));
  AttemptResult r;
  r.attempt_id = row.id;
  r.person = row.person;
  r.course_id = row.course_id;
  r.sitting_id = row.sitting_id;
  r.attempt_no = row.attempt_no;
  r.submitted = !row.open();
  r.reason = row.reason;
  r.theory_x100 = row.theory_x100;
  r.pass_x100 = row.pass_x100;
  r.earned_x100 = row.earned_x100;
  r.total_x100 = row.total_x100;
  r.passed = row.passed;
  r.started_ms = row.started_ms;
  r.submitted_ms = row.submitted_ms;
  r.downtime_ms = row.downtime_ms;
  r.charged_ms = row.charged_ms;
  CHZ_ASSIGN_OR_RETURN(r.gaps, load_gaps(db, row.id));
  if (!r.submitted) return r;
  CHZ_ASSIGN_OR_RETURN(auto items, detail::load_items(db, row.id));
  CHZ_ASSIGN_OR_RETURN(
      Stmt st,
      db.prepare("SELECT pos, answer, earned_x100 FROM exam_answers WHERE attempt_id = ?"));
  st.bind(1, row.id);
  std::vector<std::pair<std::string, std::int64_t>> ans(items.size(), {"", 0});
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool has, st.step());
    if (!has) break;
    auto pos = static_cast<std::size_t>(st.int64(0));
    if (pos < ans.size()) ans[pos] = {st.text(1), st.int64(2)};
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    ItemResult ir;
    ir.pos = static_cast<int>(i);
    ir.question_id = items[i].q.id;
    ir.stem = items[i].q.stem;
    ir.explanation = items[i].q.explanation;
    ir.type = items[i].q.type;
    CHZ_ASSIGN_OR_RETURN(Answer a, parse_answer_json(ans[i].first));
    ir.your_answer = readable(items[i], a);
    ir.right_answer = readable(items[i], right_answer(items[i].q));
    ir.earned_x100 = ans[i].second;
    ir.points_x100 = items[i].points_x100;
    r.items.push_back(std::move(ir));
  }
  return r;
}

Result<std::vector<AttemptSummary>> sitting_attempts(Store& s, const std::string& sitting_id) {
  Db& db = s.db();
  CHZ_ASSIGN_OR_RETURN(
      Stmt st,
      db.prepare(
          "SELECT a.id, a.person, a.status, a.theory_x100, a.downtime_ms, a.passed, "
          "(SELECT count(*) FROM exam_items i WHERE i.attempt_id = a.id), "
          "(SELECT count(*) FROM exam_answers w WHERE w.attempt_id = a.id AND w.answer <> '') "
          "FROM exam_attempts a WHERE a.sitting_id = ? ORDER BY a.id"));
  st.bind(1, sitting_id);
  std::vector<AttemptSummary> out;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    AttemptSummary a;
    a.attempt_id = st.text(0);
    a.person = st.text(1);
    a.submitted = st.text(2) == "submitted";
    a.theory_x100 = st.int64(3);
    a.downtime_ms = st.int64(4);
    a.passed = st.int64(5) != 0;
    a.count = static_cast<int>(st.int64(6));
    a.answered = static_cast<int>(st.int64(7));
    out.push_back(std::move(a));
  }
  for (auto& a : out) {
    CHZ_ASSIGN_OR_RETURN(a.gaps, load_gaps(db, a.attempt_id));
  }
  return out;
}

}  // namespace chz::kiosk::exam
