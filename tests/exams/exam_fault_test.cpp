// An injected I/O fault (the n-th write, the n-th sync, or a full disk) at
// every point of each exam write leaves the store exactly as it was; the
// same write then succeeds.
#include <doctest/doctest.h>

#include <functional>

#include "common/fault_vfs.h"
#include "kiosk/audit.h"
#include "kiosk/certificate_issue.h"
#include "kiosk/exam_practical.h"
#include "kiosk/exam_test_store.h"

namespace chz::kiosk::exam {

namespace {

StoreOpenOptions fault_options() {
  fault_vfs();
  StoreOpenOptions o;
  o.vfs = kFaultVfsName;
  return o;
}

// Staff sign-ins are their own audited transactions (kiosk/staff.h): a PIN
// check that succeeded stays in the audit log even if the write after it fails.
std::string state(Db& db) {
  std::string s;
  for (const char* q :
       {"SELECT count(*) FROM outbox", "SELECT count(*) FROM audit WHERE action NOT LIKE 'staff.%'",
        "SELECT count(*) FROM exam_answers", "SELECT count(*) FROM practical_scores",
        "SELECT count(*) FROM certificates",
        "SELECT count(*) FROM exam_attempts WHERE status = 'open'",
        "SELECT coalesce(sum(charged_ms + checkpoint_ms + current_pos), 0) FROM exam_attempts",
        "SELECT coalesce(sum(length(answer) + changes), 0) FROM exam_answers"})
    s += std::to_string(*db.query_int(q)) + " ";
  return s;
}

int fail_everywhere(testing::ExamFixture& f, const std::function<Status()>& op) {
  FaultPlan& plan = fault_vfs();
  int injected = 0;
  for (int kind = 0; kind < 3; ++kind) {
    for (long n = 1;; ++n) {
      REQUIRE(n < 200);
      std::string before = state(f.ts.db());
      if (kind == 0) plan.arm(n, 0);
      if (kind == 1) plan.arm(0, n);
      if (kind == 2) plan.arm(n, 0, true);
      Status st = op();
      bool faulted = plan.failures > 0;
      plan.disarm();
      if (!faulted) {
        REQUIRE_MESSAGE(st.ok(), st.to_string());
        break;
      }
      ++injected;
      CHECK_FALSE(st.ok());
      CHECK(state(f.ts.db()) == before);
      CHECK(f.ts.db().integrity_check().ok());
      CHECK(verify_audit_chain(f.ts.db()).ok());
    }
  }
  return injected;
}

}  // namespace

TEST_CASE(
    "exam fault: failed answer saves, submit, practical score and certificate leave the store as "
    "it was") {
  testing::ExamFixture f(fault_options());
  REQUIRE(f.store().set_setting("enroll.site_id", "140521101").ok());
  auto p = f.trainee(1, "王喆");
  auto run = f.start(p, f.sitting().id, 3);
  REQUIRE(run.ok());
  int i = 0;
  int answers = fail_everywhere(f, [&] {
    f.clock().advance(1000);
    return answer(f.store(), f.clock(), *run, 0, Answer{{}, (++i % 2) == 0, {}});
  });
  CHECK(answers >= 3);
  int submits = fail_everywhere(f, [&] { return submit(f.store(), f.clock(), *run).status(); });
  CHECK(submits >= 3);
  // Pass on a second attempt so a certificate can follow.
  auto passed = testing::take_exam(f, p, true, 8);
  REQUIRE(passed.passed);
  PracticalEntry e;
  e.person = p;
  e.course_id = f.course.id;
  e.class_id = testing::kClass;
  e.score_x100 = 8800;
  e.assessor_id = testing::kAssessor;
  e.assessor_pin = testing::kPin;
  int scores = fail_everywhere(f, [&] {
    // Repeatable: once a score exists the next one corrects it.
    auto cur = practical_score(f.store(), p, f.course.id);
    if (cur.ok() && cur->has_value()) {
      e.corrects = (*cur)->uuid;
      e.reason = "复核更正";
    }
    f.clock().advance(1000);
    return enter_practical_score(f.store(), f.clock(), e).status();
  });
  CHECK(scores >= 3);
  int certs = fail_everywhere(
      f, [&] { return issue_certificate(f.store(), f.clock(), f.course, p).status(); });
  CHECK(certs >= 3);
  MESSAGE("faults injected: answer ", answers, ", submit ", submits, ", practical ", scores,
          ", certificate ", certs);
  CHECK(f.store().check().ok());
}

}  // namespace chz::kiosk::exam
