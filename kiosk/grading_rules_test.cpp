#include "kiosk/grading_rules.h"

#include <doctest/doctest.h>

namespace chz::kiosk::exam {

using content::Question;
using content::QuestionType;

namespace {
Question multiple() {
  Question q;
  q.type = QuestionType::kMultiple;
  q.options = {"耐寒", "善采零星蜜源", "抗螨能力强", "不爱分蜂"};
  q.correct = {0, 1, 2};
  return q;
}
Question fill() {
  Question q;
  q.type = QuestionType::kFill;
  q.blanks = {{"工蜂"}, {"ZW-1", "中蜂箱"}};
  return q;
}
}  // namespace

TEST_CASE("grading: single choice and true/false") {
  Question s;
  s.type = QuestionType::kSingle;
  s.options = {"一只", "两只"};
  s.correct = {0};
  CHECK(grade(s, 1000, Answer{{0}, {}, {}}, false) == 1000);
  CHECK(grade(s, 1000, Answer{{1}, {}, {}}, false) == 0);
  CHECK(grade(s, 1000, Answer{{0, 1}, {}, {}}, false) == 0);
  Question t;
  t.type = QuestionType::kTrueFalse;
  t.truth = false;
  CHECK(grade(t, 500, Answer{{}, false, {}}, false) == 500);
  CHECK(grade(t, 500, Answer{{}, true, {}}, false) == 0);
}

TEST_CASE("grading: multiple choice all-or-nothing") {
  auto q = multiple();
  CHECK(grade(q, 1500, Answer{{2, 0, 1}, {}, {}}, false) == 1500);
  CHECK(grade(q, 1500, Answer{{0, 1}, {}, {}}, false) == 0);
  CHECK(grade(q, 1500, Answer{{0, 1, 2, 3}, {}, {}}, false) == 0);
}

TEST_CASE("grading: multiple choice partial credit, any wrong pick scores zero") {
  auto q = multiple();
  CHECK(grade(q, 1500, Answer{{0, 1, 2}, {}, {}}, true) == 1500);
  CHECK(grade(q, 1500, Answer{{0, 1}, {}, {}}, true) == 1000);
  CHECK(grade(q, 1500, Answer{{2}, {}, {}}, true) == 500);
  CHECK(grade(q, 1000, Answer{{2}, {}, {}}, true) == 333);
  CHECK(grade(q, 1500, Answer{{0, 3}, {}, {}}, true) == 0);
  CHECK(grade(q, 1500, Answer{{0, 1, 2, 3}, {}, {}}, true) == 0);
}

TEST_CASE("grading: blank answers score zero") {
  CHECK(grade(multiple(), 1500, Answer{}, true) == 0);
  CHECK(grade(fill(), 1000, Answer{{}, {}, {"", "  "}}, false) == 0);
  CHECK(Answer{{}, {}, {"", "　"}}.empty());
  CHECK(answer_json(Answer{{}, {}, {" "}}).empty());
}

TEST_CASE("grading: fill-in answers match across full/half width, spaces and case") {
  auto q = fill();
  CHECK(grade(q, 1000, Answer{{}, {}, {"工蜂", "zw-1"}}, false) == 1000);
  CHECK(grade(q, 1000, Answer{{}, {}, {" 工 蜂 ", "ＺＷ－１"}}, false) == 1000);
  CHECK(grade(q, 1000, Answer{{}, {}, {"工蜂", "中蜂　箱"}}, false) == 1000);
  CHECK(grade(q, 1000, Answer{{}, {}, {"工蜂", "意蜂箱"}}, false) == 500);
  CHECK(grade(q, 1000, Answer{{}, {}, {"蜂王"}}, false) == 0);
  CHECK(normalise_fill("Ａｂ　Ｃ １２") == "abc12");
}

TEST_CASE("grading: scores scale to 100 and format without trailing zeros") {
  CHECK(score_x100(5000, 10000) == 5000);
  CHECK(score_x100(2, 3) == 6667);
  CHECK(score_x100(0, 0) == 0);
  CHECK(format_score(8650) == "86.5");
  CHECK(format_score(7200) == "72");
  CHECK(format_score(6667) == "66.67");
  CHECK(format_score(5) == "0.05");
  CHECK(*parse_score("86.5") == 8650);
  CHECK(*parse_score("100") == 10000);
  CHECK(!parse_score("100.5").ok());
  CHECK(!parse_score("-3").ok());
  CHECK(!parse_score("").ok());
  CHECK(!parse_score("7.125").ok());
}

TEST_CASE("grading: answers round-trip through their stored form") {
  Answer a{{0, 2}, {}, {}};
  CHECK(*parse_answer_json(answer_json(a)) == a);
  Answer b{{}, true, {}};
  CHECK(*parse_answer_json(answer_json(b)) == b);
  Answer c{{}, {}, {"工蜂", "ＺＷ"}};
  CHECK(*parse_answer_json(answer_json(c)) == c);
  CHECK(parse_answer_json("")->empty());
  CHECK(!parse_answer_json("{").ok());
}

}  // namespace chz::kiosk::exam
