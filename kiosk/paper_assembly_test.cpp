#include "kiosk/paper_assembly.h"

#include <doctest/doctest.h>

#include <set>

#include "kiosk/exam_test_course.h"

namespace chz::kiosk::exam {

using content::QuestionType;

TEST_CASE("paper: the same seed draws the same paper") {
  auto c = testing::demo_course();
  auto a = draw_paper(c, 42), b = draw_paper(c, 42);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(a->items.size() == 9);
  for (std::size_t i = 0; i < a->items.size(); ++i) {
    CHECK(a->items[i].q.id == b->items[i].q.id);
    CHECK(a->items[i].order == b->items[i].order);
  }
  CHECK(a->total_x100() == 10000);
  CHECK(a->content_version == 3);
}

TEST_CASE("paper: different seeds draw different papers and option orders") {
  auto c = testing::demo_course(3);
  std::set<std::string> papers;
  for (std::uint64_t s = 1; s <= 20; ++s) {
    auto p = draw_paper(c, s);
    REQUIRE(p.ok());
    std::string key;
    for (const auto& it : p->items) key += it.q.id + "/" + order_text(it.order) + ";";
    papers.insert(key);
  }
  CHECK(papers.size() >= 19);
}

TEST_CASE("paper: blueprint is honoured (types, chapters, no repeats, options permuted)") {
  auto c = testing::demo_course();
  auto p = draw_paper(c, 7);
  REQUIRE(p.ok());
  std::set<std::string> ids;
  for (const auto& it : p->items) ids.insert(it.q.id);
  CHECK(ids.size() == p->items.size());
  CHECK(p->items[0].q.type == QuestionType::kTrueFalse);
  CHECK(p->items[2].q.chapter == "蜂群组成");
  CHECK(p->items[2].q.type == QuestionType::kSingle);
  CHECK(p->items[8].q.type == QuestionType::kFill);
  for (const auto& it : p->items) {
    if (it.q.type == QuestionType::kSingle || it.q.type == QuestionType::kMultiple) {
      std::set<int> o(it.order.begin(), it.order.end());
      CHECK(o.size() == it.q.options.size());
    } else {
      CHECK(it.order.empty());
    }
  }
}

TEST_CASE("paper: a bank too small for the blueprint is refused with the shortfall named") {
  auto c = testing::demo_course(1);
  c.blueprint.items.push_back({QuestionType::kFill, "蜂群管理", 2, 5});
  auto sf = blueprint_shortfalls(c);
  REQUIRE(sf.size() >= 1);
  auto p = draw_paper(c, 1);
  REQUIRE(!p.ok());
  CHECK(p.status().code() == Code::kFailedPrecondition);
  CHECK(p.status().key() == "exam.bank_shortfall");
  CHECK(p.status().message().find("蜂群管理") != std::string::npos);
  CHECK(p.status().message().find("填空") != std::string::npos);
}

TEST_CASE("paper: chapter items are served before any-chapter items") {
  // 2 chapter singles + 2 any singles need 4 distinct singles; 8 exist at scale 1.
  auto c = testing::demo_course(1);
  c.blueprint.items = {{QuestionType::kSingle, "", 4, 10},
                       {QuestionType::kSingle, "蜂群组成", 4, 15}};
  CHECK(blueprint_shortfalls(c).empty());
  auto p = draw_paper(c, 5);
  REQUIRE(p.ok());
  for (int i = 4; i < 8; ++i) CHECK(p->items[i].q.chapter == "蜂群组成");
  c.blueprint.items[0].count = 5;
  CHECK(!draw_paper(c, 5).ok());
}

TEST_CASE("paper: an empty blueprint is refused") {
  auto c = testing::demo_course();
  c.blueprint.items.clear();
  CHECK(check_blueprint(c).key() == "exam.bank_shortfall");
}

TEST_CASE("paper: question snapshots and option orders round-trip") {
  auto c = testing::demo_course();
  for (const auto& q : c.bank) {
    auto back = parse_question_json(question_json(q));
    REQUIRE(back.ok());
    CHECK(back->id == q.id);
    CHECK(back->stem == q.stem);
    CHECK(back->options == q.options);
    CHECK(back->correct == q.correct);
    CHECK(back->blanks == q.blanks);
    CHECK(back->truth == q.truth);
  }
  auto o = parse_order_text("2,0,3,1", 4);
  REQUIRE(o.ok());
  CHECK(*o == std::vector<int>{2, 0, 3, 1});
  CHECK(!parse_order_text("2,0,2,1", 4).ok());
  CHECK(!parse_order_text("2,0,3", 4).ok());
  CHECK(!parse_order_text("2,x,3,1", 4).ok());
  CHECK(parse_order_text("", 0).ok());
}

}  // namespace chz::kiosk::exam
