#include "kiosk/exam_session.h"

#include <doctest/doctest.h>

#include "kiosk/audit.h"
#include "kiosk/exam_test_store.h"

namespace chz::kiosk::exam {

using testing::ExamFixture;

namespace {
std::string paper_key(Store& s, const Clock& c, const AttemptRun& run) {
  std::string k;
  for (int i = 0;; ++i) {
    auto v = question(s, c, run, i);
    if (!v.ok()) break;
    k += v->stem + "|";
    for (auto& o : v->options) k += o + ",";
    k += ";";
  }
  return k;
}
std::vector<std::string> id_numbers_of_people(Db& db) {
  std::vector<std::string> out;
  auto st = db.prepare("SELECT id_number FROM people ORDER BY id_number");
  REQUIRE(st.ok());
  while (*st->step()) out.push_back(st->text(0));
  return out;
}
Answer pick(int d) {
  return Answer{{d}, {}, {}};
}
}  // namespace

TEST_CASE("exam fixture: trainees are registered and enrolled through the outbox and the audit") {
  ExamFixture f;
  Db& db = f.store().db();
  auto kinds = [&db](const char* kind) {
    return *db.query_int("SELECT count(*) FROM outbox WHERE kind = ?", std::string(kind));
  };
  auto p1 = f.trainee(1, "张𠮷祥");
  auto p2 = f.trainee(2, "王䶮");
  CHECK(p1 != p2);
  CHECK(kinds("person") == 2);
  CHECK(kinds("enrolment") == 2);
  CHECK(id_numbers_of_people(db) ==
        std::vector<std::string>{"14052119850312001X", "140521198503120028"});
  CHECK(recent_audit(db, 10, "person.register")->size() == 2);
  CHECK(recent_audit(db, 10, "class.enrol")->size() == 2);
  CHECK(testing::session_date(9) == "2026-11-10");
}

TEST_CASE("exam: a trainee starts with the proctor code and the code is single-use") {
  ExamFixture f;
  auto p1 = f.trainee(1, "张𠮷祥");
  auto p2 = f.trainee(2, "阿依古丽·买买提");
  auto st = f.sitting();
  CHECK(st.proctor_code.size() == 6);
  auto wrong = start_attempt(f.store(), f.clock(), f.course, p1, st.id,
                             "000000" == st.proctor_code ? "111111" : "000000", f.boot, 1);
  REQUIRE(!wrong.ok());
  CHECK(wrong.status().key() == "exam.proctor_code");
  auto run = start_attempt(f.store(), f.clock(), f.course, p1, st.id, st.proctor_code, f.boot, 1);
  REQUIRE_MESSAGE(run.ok(), run.status().to_string());
  // The used code no longer starts anyone.
  auto again = start_attempt(f.store(), f.clock(), f.course, p2, st.id, st.proctor_code, f.boot, 2);
  if (f.code(st.id) != st.proctor_code) {
    REQUIRE(!again.ok());
    CHECK(again.status().key() == "exam.proctor_code");
  }
  CHECK(f.start(p2, st.id, 2).ok());
}

TEST_CASE("exam: only eligible trainees start (enrolled, hours met)") {
  ExamFixture f;
  auto st = f.sitting();
  auto lazy = f.trainee(3, "刘堃", /*hours=*/false);
  auto r = f.start(lazy, st.id);
  REQUIRE(!r.ok());
  CHECK(r.status().key() == "exam.hours_not_met");
  auto r2 = f.start(testing::person_key_of(9), st.id);
  REQUIRE(!r2.ok());
  CHECK(r2.status().key() == "exam.not_enrolled");
}

TEST_CASE("exam: a closed sitting starts nobody; a non-trainer cannot open one") {
  ExamFixture f;
  auto p = f.trainee(1, "王䶮");
  auto st = f.sitting();
  REQUIRE(close_sitting(f.store(), f.clock(), f.trainer, st.id).ok());
  CHECK(f.start(p, st.id).status().key() == "exam.sitting_closed");
  Actor trainee = Actor::trainee(p);
  auto bad = open_sitting(f.store(), f.clock(), trainee, f.course, testing::kClass);
  REQUIRE(!bad.ok());
  CHECK(bad.status().code() == Code::kPermissionDenied);
}

TEST_CASE("exam: a course whose bank cannot fill the blueprint cannot be examined") {
  ExamFixture f;
  f.course.blueprint.items.push_back({content::QuestionType::kFill, "蜂群组成", 9, 1});
  auto s = open_sitting(f.store(), f.clock(), f.trainer, f.course, testing::kClass);
  REQUIRE(!s.ok());
  CHECK(s.status().key() == "exam.bank_shortfall");
}

TEST_CASE("exam: the stored paper shows the same after reopening the store; attempts differ") {
  ExamFixture f;
  auto p1 = f.trainee(1, "张三");
  auto p2 = f.trainee(2, "李四");
  auto st = f.sitting();
  auto r1 = f.start(p1, st.id, 11);
  auto r2 = f.start(p2, st.id, 12);
  REQUIRE(r1.ok());
  REQUIRE(r2.ok());
  std::string k1 = paper_key(f.store(), f.clock(), *r1);
  CHECK(k1 != paper_key(f.store(), f.clock(), *r2));
  // Content update: a new version of the course must not change the paper.
  f.course.bank[0].stem = "改过的题干";
  f.course.version = 4;
  f.store().db().close();
  auto reopened = Store::open(f.ts.dir);
  REQUIRE(reopened.ok());
  f.ts.store = std::move(reopened).value();
  auto boot2 = new_boot_id();
  auto rr = resume_attempt(f.store(), f.clock(), r1->attempt_id, boot2);
  REQUIRE(rr.ok());
  CHECK(paper_key(f.store(), f.clock(), *rr) == k1);
}

TEST_CASE("exam: answers are stored, shown back in display order, and move the current question") {
  ExamFixture f;
  auto p = f.trainee(1, "张三");
  auto st = f.sitting();
  auto run = f.start(p, st.id);
  REQUIRE(run.ok());
  REQUIRE(answer(f.store(), f.clock(), *run, 3, pick(2)).ok());
  REQUIRE(flag(f.store(), f.clock(), *run, 5, true).ok());
  auto v = question(f.store(), f.clock(), *run);
  REQUIRE(v.ok());
  CHECK(v->pos == 5);
  CHECK(v->flagged);
  auto v3 = question(f.store(), f.clock(), *run, 3);
  REQUIRE(v3.ok());
  CHECK(v3->answer.choices == std::vector<int>{2});
  CHECK(v3->answered == 1);
  CHECK(answer(f.store(), f.clock(), *run, 3, pick(9)).key() == "exam.bad_answer");
  CHECK(answer(f.store(), f.clock(), *run, 99, pick(0)).key() == "exam.bad_position");
  auto pre = submit_preview(f.store(), *run);
  REQUIRE(pre.ok());
  CHECK(pre->count == 9);
  CHECK(pre->unanswered == 8);
  CHECK(pre->flagged == 1);
}

TEST_CASE("exam: time up auto-submits on tick and refuses late answers") {
  ExamFixture f;
  auto p = f.trainee(1, "张三");
  auto st = f.sitting();
  auto run = f.start(p, st.id);
  REQUIRE(run.ok());
  f.clock().advance(30 * 60'000);
  auto t = tick(f.store(), f.clock(), *run);
  REQUIRE(t.ok());
  CHECK(!t->submitted);
  CHECK(t->remaining_ms == 30 * 60'000);
  f.clock().advance(30 * 60'000 + 1);
  auto late = answer(f.store(), f.clock(), *run, 0, Answer{{}, true, {}});
  CHECK(late.key() == "exam.time_up");
  auto r = result(f.store(), run->attempt_id);
  REQUIRE(r.ok());
  CHECK(r->submitted);
  CHECK(r->reason == "timeout");
  auto t2 = tick(f.store(), f.clock(), *run);
  REQUIRE(t2.ok());
  CHECK(t2->submitted);
  // The submission is a fact in the outbox and in the audit chain.
  CHECK(*f.ts.db().query_int("SELECT count(*) FROM outbox WHERE kind = 'exam_attempt'") == 1);
  CHECK(verify_audit_chain(f.ts.db()).ok());
}

TEST_CASE("exam: tick alone submits when the time runs out") {
  ExamFixture f;
  auto p = f.trainee(1, "张三");
  auto run = f.start(p, f.sitting().id);
  REQUIRE(run.ok());
  f.clock().advance(60 * 60'000);
  auto t = tick(f.store(), f.clock(), *run);
  REQUIRE(t.ok());
  CHECK(t->submitted);
  CHECK(result(f.store(), run->attempt_id)->reason == "timeout");
}

TEST_CASE("exam: manual submit grades out of 100 and shows explanations") {
  ExamFixture f;
  auto p = f.trainee(1, "张三");
  auto run = f.start(p, f.sitting().id);
  REQUIRE(run.ok());
  // Answer everything right: true/false are all 对; singles' right answer is
  // original option 0; multiples 0,1,2; fills 工蜂 / ＺＷ.
  for (int i = 0; i < 9; ++i) {
    auto v = question(f.store(), f.clock(), *run, i);
    REQUIRE(v.ok());
    Answer a;
    if (v->type == content::QuestionType::kTrueFalse) a.truth = true;
    if (v->type == content::QuestionType::kFill) a.blanks = {" 工蜂", "ｚｗ"};
    for (std::size_t d = 0; d < v->options.size(); ++d) {
      if (v->type == content::QuestionType::kSingle && v->options[d] == "一只")
        a.choices = {int(d)};
      if (v->type == content::QuestionType::kMultiple && v->options[d] != "不爱分蜂")
        a.choices.push_back(int(d));
    }
    REQUIRE(answer(f.store(), f.clock(), *run, i, a).ok());
  }
  auto r = submit(f.store(), f.clock(), *run);
  REQUIRE(r.ok());
  CHECK(r->theory_x100 == 10000);
  CHECK(r->passed);
  CHECK(r->reason == "manual");
  REQUIRE(r->items.size() == 9);
  CHECK(!r->items[2].explanation.empty());
  CHECK(!r->items[2].right_answer.empty());
  // Submitted: no more answers.
  CHECK(answer(f.store(), f.clock(), *run, 0, Answer{{}, false, {}}).key() == "exam.submitted");
  // Passed: no further attempt.
  auto st2 = f.sitting();
  CHECK(f.start(p, st2.id).status().key() == "exam.already_passed");
}

TEST_CASE("exam: retakes stop at the course limit, counting other kiosks' attempts") {
  ExamFixture f;
  f.course.blueprint.max_attempts = 3;
  auto p = f.trainee(1, "张三");
  for (int i = 0; i < 2; ++i) {
    auto run = f.start(p, f.sitting().id, 100 + i);
    REQUIRE(run.ok());
    auto r = submit(f.store(), f.clock(), *run);
    REQUIRE(r.ok());
    CHECK(!r->passed);
    CHECK(r->attempt_no == i + 1);
  }
  // A failed attempt at another kiosk of the site, learnt through sync.
  REQUIRE(
      f.ts.db()
          .run("INSERT INTO exam_remote_attempts(uuid, attempt_id, device, person, course_id, "
               "theory_x100, "
               "passed, at_ms) VALUES ('u1', 'a-other', 'kiosk-000000000001', ?, ?, 4000, 0, 0)",
               p, f.course.id)
          .ok());
  auto e = eligibility(f.store(), p, f.course);
  REQUIRE(e.ok());
  CHECK(e->attempts_used == 3);
  CHECK(!e->eligible());
  auto run = f.start(p, f.sitting().id);
  REQUIRE(!run.ok());
  CHECK(run.status().key() == "exam.no_attempts_left");
}

TEST_CASE("exam: downtime is forgiven up to the sitting's limit, the gap is recorded") {
  ExamFixture f;
  auto p = f.trainee(1, "张三");
  auto st = f.sitting(/*max_down=*/5 * 60'000);
  auto run = f.start(p, st.id);
  REQUIRE(run.ok());
  f.clock().advance(10 * 60'000);
  REQUIRE(answer(f.store(), f.clock(), *run, 1, Answer{{}, false, {}}).ok());  // 50 min left
  f.clock().advance(3 * 60'000);  // power cut: 3 minutes, forgiven
  auto r1 = resume_attempt(f.store(), f.clock(), run->attempt_id, "boot-2");
  REQUIRE(r1.ok());
  CHECK(*remaining_ms(f.store(), f.clock(), *r1) == 50 * 60'000);
  CHECK(question(f.store(), f.clock(), *r1)->pos == 1);
  f.clock().advance(12 * 60'000);  // 12 minutes down: 5 forgiven, 7 charged
  auto r2 = resume_attempt(f.store(), f.clock(), run->attempt_id, "boot-3");
  REQUIRE(r2.ok());
  CHECK(*remaining_ms(f.store(), f.clock(), *r2) == 43 * 60'000);
  // The old run may no longer write.
  CHECK(answer(f.store(), f.clock(), *r1, 2, Answer{{}, true, {}}).key() == "exam.stale_run");
  auto att = sitting_attempts(f.store(), st.id);
  REQUIRE(att.ok());
  REQUIRE(att->size() == 1);
  REQUIRE((*att)[0].gaps.size() == 2);
  CHECK((*att)[0].gaps[0].charged_ms == 0);
  CHECK((*att)[0].gaps[1].charged_ms == 7 * 60'000);
  CHECK((*att)[0].downtime_ms == 8 * 60'000);
  // Same boot resuming (e.g. the trainee signs in again) is not downtime.
  f.clock().advance(60'000);
  REQUIRE(resume_attempt(f.store(), f.clock(), run->attempt_id, "boot-3").ok());
  CHECK(*remaining_ms(f.store(), f.clock(), *r2) == 42 * 60'000);
}

TEST_CASE("exam: a resume after the time ran out auto-submits") {
  ExamFixture f;
  auto p = f.trainee(1, "张三");
  auto st = f.sitting(/*max_down=*/60'000);
  auto run = f.start(p, st.id);
  REQUIRE(run.ok());
  f.clock().advance(2 * 3600'000);
  auto r = resume_attempt(f.store(), f.clock(), run->attempt_id, "boot-2");
  REQUIRE(r.ok());
  auto res = result(f.store(), run->attempt_id);
  REQUIRE(res.ok());
  CHECK(res->submitted);
  CHECK(res->reason == "timeout");
}

}  // namespace chz::kiosk::exam
