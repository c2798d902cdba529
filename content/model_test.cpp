#include "content/model.h"

#include <doctest/doctest.h>

#include "content/testdata/sample_course.h"

using namespace chz;
using namespace chz::content;

TEST_CASE("model: levels parse from the names bureaus write") {
  CHECK(*parse_level("五级") == Level::kLevel5);
  CHECK(*parse_level("初级工") == Level::kLevel5);
  CHECK(*parse_level("五级/初级工") == Level::kLevel5);
  CHECK(*parse_level(" 4 ") == Level::kLevel4);
  CHECK(*parse_level("高级技师") == Level::kLevel1);
  CHECK(*parse_level("专项职业能力") == Level::kSpecial);
  CHECK(*parse_level("专项") == Level::kSpecial);
  CHECK(parse_level("六级").status().code() == Code::kInvalidArgument);
  for (auto l : {Level::kLevel5, Level::kLevel4, Level::kLevel3, Level::kLevel2, Level::kLevel1,
                 Level::kSpecial})
    CHECK(*parse_level(level_name(l)) == l);
}

TEST_CASE("model: question types parse in Chinese and English") {
  CHECK(*parse_question_type("单选") == QuestionType::kSingle);
  CHECK(*parse_question_type("单项选择题") == QuestionType::kSingle);
  CHECK(*parse_question_type("多选题") == QuestionType::kMultiple);
  CHECK(*parse_question_type("判断") == QuestionType::kTrueFalse);
  CHECK(*parse_question_type("Fill") == QuestionType::kFill);
  CHECK(!parse_question_type("问答").ok());
}

namespace {
Question single() {
  Question q;
  q.id = "q1";
  q.stem = "焊接时应佩戴什么？";
  q.options = {"面罩", "墨镜"};
  q.correct = {0};
  return q;
}
}  // namespace

TEST_CASE("model: validate_question refuses each inconsistency") {
  CHECK(validate_question(single()).ok());
  auto q = single();
  q.id.clear();
  CHECK(!validate_question(q).ok());
  q = single();
  q.stem = "  ";
  CHECK(validate_question(q).message().find("empty stem") != std::string::npos);
  q = single();
  q.options = {"面罩"};
  CHECK(validate_question(q).message().find("2 to 6") != std::string::npos);
  q = single();
  q.correct = {2};
  CHECK(validate_question(q).message().find("missing option") != std::string::npos);
  q = single();
  q.correct = {0, 1};
  CHECK(validate_question(q).message().find("exactly one") != std::string::npos);
  q = single();
  q.type = QuestionType::kMultiple;
  CHECK(validate_question(q).message().find("at least two") != std::string::npos);
  q.correct = {1, 1};
  CHECK(validate_question(q).message().find("repeats") != std::string::npos);
  q = single();
  q.points = 0;
  CHECK(validate_question(q).message().find("points") != std::string::npos);
  Question f;
  f.id = "f1";
  f.type = QuestionType::kFill;
  f.stem = "____和____";
  f.blanks = {{"甲"}};
  CHECK(validate_question(f).message().find("2 blanks") != std::string::npos);
  f.blanks = {{"甲"}, {}};
  CHECK(validate_question(f).message().find("no accepted answer") != std::string::npos);
  f.blanks = {{"甲"}, {"乙"}};
  CHECK(validate_question(f).ok());
  Question t;
  t.id = "t1";
  t.type = QuestionType::kTrueFalse;
  t.stem = "对吗？";
  CHECK(validate_question(t).ok());
  t.options = {"对", "错"};
  CHECK(!validate_question(t).ok());
}

TEST_CASE("model: validate_course checks ids, lessons and that the blueprint can be drawn") {
  auto c = testing::sample_course().course;
  CHECK(validate_course(c).ok());
  CHECK(validate_for_publish(c).ok());
  auto bad = c;
  bad.id = "中文id";
  CHECK(!validate_course(bad).ok());
  bad = c;
  bad.lessons.clear();
  CHECK(validate_course(bad).message().find("no lessons") != std::string::npos);
  bad = c;
  bad.bank[1].id = bad.bank[0].id;
  CHECK(validate_course(bad).message().find("repeated") != std::string::npos);
  bad = c;
  bad.blueprint.items[1].count = 2;  // only one 多选 in 分蜂
  CHECK(validate_course(bad).message().find("chapter \"分蜂\"") != std::string::npos);
  bad = c;
  bad.blueprint.items.push_back({QuestionType::kSingle, "蜂群的组成", 1, 0.0001});
  // 2 single-choice in the bank: one for the chapter item leaves 1 for "any" (needs 2).
  CHECK(validate_course(bad).message().find("left") != std::string::npos);
  bad = c;
  bad.blueprint.items.clear();
  CHECK(!validate_course(bad).ok());
  bad = c;
  bad.blueprint.items[0].points_each = 10;
  CHECK(validate_course(bad).ok());
  CHECK(validate_for_publish(bad).message().find("not 100") != std::string::npos);
  CHECK(blueprint_points(c.blueprint) == doctest::Approx(100));
}
