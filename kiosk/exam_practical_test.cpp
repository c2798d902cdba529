#include "kiosk/exam_practical.h"

#include <doctest/doctest.h>

#include "kiosk/audit.h"
#include "kiosk/exam_test_store.h"

namespace chz::kiosk::exam {

using testing::ExamFixture;

namespace {
PracticalEntry entry(const std::string& person, std::int64_t score) {
  PracticalEntry e;
  e.person = person;
  e.course_id = "zhongfeng-yangzhi";
  e.class_id = testing::kClass;
  e.score_x100 = score;
  e.assessor_id = testing::kAssessor;
  e.assessor_pin = testing::kPin;
  return e;
}
}  // namespace

TEST_CASE("practical: an assessor with the right PIN records a score, audited and as a record") {
  ExamFixture f;
  auto p = f.trainee(1, "张三");
  auto id = enter_practical_score(f.store(), f.clock(), entry(p, 7250));
  REQUIRE_MESSAGE(id.ok(), id.status().to_string());
  auto s = practical_score(f.store(), p, f.course.id);
  REQUIRE(s.ok());
  REQUIRE(s->has_value());
  CHECK((*s)->score_x100 == 7250);
  CHECK(*f.ts.db().query_int("SELECT count(*) FROM outbox WHERE kind = 'practical_score'") == 1);
  auto audit = recent_audit(f.ts.db(), 5, "exam.practical_score");
  REQUIRE(audit.ok());
  CHECK(audit->size() == 1);
  CHECK(verify_audit_chain(f.ts.db()).ok());
}

TEST_CASE("practical: a wrong PIN is refused and nothing is recorded") {
  ExamFixture f;
  auto p = f.trainee(1, "张三");
  auto e = entry(p, 8000);
  e.assessor_pin = "111111";
  auto r = enter_practical_score(f.store(), f.clock(), e);
  REQUIRE(!r.ok());
  CHECK(r.status().key() == "staff.pin_wrong");
  CHECK(*f.ts.db().query_int("SELECT count(*) FROM practical_scores") == 0);
}

TEST_CASE("practical: only assessors enter scores") {
  ExamFixture f;
  auto p = f.trainee(1, "张三");
  auto e = entry(p, 8000);
  e.assessor_id = testing::kTrainer;
  CHECK(enter_practical_score(f.store(), f.clock(), e).status().key() == "exam.not_assessor");
}

TEST_CASE("practical: scores outside 0..100 are refused") {
  ExamFixture f;
  auto p = f.trainee(1, "张三");
  CHECK(enter_practical_score(f.store(), f.clock(), entry(p, 10001)).status().key() ==
        "exam.score_range");
  CHECK(enter_practical_score(f.store(), f.clock(), entry(p, -1)).status().key() ==
        "exam.score_range");
}

TEST_CASE("practical: a second assessor must be someone else and give their own PIN") {
  ExamFixture f;
  auto p = f.trainee(1, "张三");
  auto e = entry(p, 8000);
  e.second_assessor_id = testing::kAssessor;
  e.second_assessor_pin = testing::kPin;
  CHECK(enter_practical_score(f.store(), f.clock(), e).status().key() == "exam.same_assessor");
  e.second_assessor_id = testing::kAssessor2;
  e.second_assessor_pin = "";
  CHECK(enter_practical_score(f.store(), f.clock(), e).status().key() == "exam.second_pin");
  e.second_assessor_pin = testing::kPin;  // not theirs
  CHECK(enter_practical_score(f.store(), f.clock(), e).status().key() == "staff.pin_wrong");
  e.second_assessor_pin = testing::kPin2;
  REQUIRE(enter_practical_score(f.store(), f.clock(), e).ok());
  CHECK((*practical_score(f.store(), p, f.course.id))->second_assessor == testing::kAssessor2);
}

TEST_CASE("practical: a trainee not in the class gets no score") {
  ExamFixture f;
  auto e = entry(testing::person_key_of(8), 8000);
  CHECK(enter_practical_score(f.store(), f.clock(), e).status().key() == "exam.not_enrolled");
}

TEST_CASE("practical: a second score must correct the one that counts, with a reason") {
  ExamFixture f;
  auto p = f.trainee(1, "张三");
  auto first = enter_practical_score(f.store(), f.clock(), entry(p, 5500));
  REQUIRE(first.ok());
  f.clock().advance(1000);
  CHECK(enter_practical_score(f.store(), f.clock(), entry(p, 6500)).status().key() ==
        "exam.correction_needed");
  auto e = entry(p, 6500);
  e.corrects = "not-the-uuid";
  e.reason = "录入错误";
  CHECK(enter_practical_score(f.store(), f.clock(), e).status().key() == "exam.correction_target");
  e.corrects = *first;
  e.reason = "";
  CHECK(enter_practical_score(f.store(), f.clock(), e).status().key() == "exam.correction_needed");
  e.reason = "录入错误，应为65分";
  REQUIRE(enter_practical_score(f.store(), f.clock(), e).ok());
  CHECK((*practical_score(f.store(), p, f.course.id))->score_x100 == 6500);
}

}  // namespace chz::kiosk::exam
