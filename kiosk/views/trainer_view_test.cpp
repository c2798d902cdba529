#include "kiosk/views/trainer_view.h"

#include <doctest/doctest.h>

#include "kiosk/domain_fixture.h"
#include "kiosk/views/trainee_view.h"

namespace chz::kiosk::views {
namespace {
using testing::DomainFixture;
using testing::must;

TEST_CASE("views: a trainer chooses among their own classes; an admin among all") {
  DomainFixture f;
  auto other =
      must(add_staff(f.db(), f.clock, f.admin, {"李秀英", Role::kTrainer, "龙港镇"}, f.fast_pins));
  must(create_class(f.db(), f.clock, f.admin,
                    {"zhongfeng-yangzhi", "龙港镇", "中蜂养殖2027秋季班", 20, {other.id}}));
  auto mine = must(class_choices(f.store, f.trainer.id));
  REQUIRE(mine.size() == 1);
  CHECK(mine[0].name == "中蜂养殖2027春季班");
  CHECK(mine[0].course_name == "中蜂养殖");
  CHECK(mine[0].capacity == 30);
  CHECK(must(class_choices(f.store, f.admin.id)).size() == 2);
}

TEST_CASE("views: score lines show the class's trainees and the score that counts") {
  DomainFixture f;
  f.person("张𠮷", 301);
  f.person("阿依古丽·买买提", 402);
  auto lines = must(score_lines(f.store, f.class_id));
  REQUIRE(lines.size() == 2);
  for (const auto& l : lines) {
    CHECK(l.score.empty());
    CHECK(l.masked_id.find("****") != std::string::npos);
  }
  CHECK_FALSE(score_lines(f.store, "class-none").ok());
}

TEST_CASE("views: known places come from registered people, most used first") {
  DomainFixture f;
  f.person("张𠮷", 301);
  f.person("王喆", 153);
  must(register_person(f.db(), f.clock, f.trainer,
                       {testing::id_number_born({1980, 1, 2}, 77), "李堃", "端氏镇", "河北村"}));
  auto towns = must(known_townships(f.store));
  REQUIRE(towns.size() == 2);
  CHECK(towns[0] == "龙港镇");
  CHECK(towns[1] == "端氏镇");
  auto villages = must(known_villages(f.store, "端氏镇"));
  REQUIRE(villages.size() == 1);
  CHECK(villages[0] == "河北村");
  CHECK(must(known_villages(f.store, "没有这个镇")).empty());
}

TEST_CASE("views: a session later today that is not open yet is the trainee's next one") {
  DomainFixture f;
  std::string p = f.person("张𠮷", 301);
  f.session(19, 0, 21, 0);
  f.at(19, 30);  // started, but the trainer has not opened it yet
  auto v = must(trainee_view(f.store, f.clock, p));
  REQUIRE(v.next);
  CHECK(v.next->when.find("19:00") != std::string::npos);
  f.at(21, 30);  // over: no longer coming up
  CHECK_FALSE(must(trainee_view(f.store, f.clock, p)).next);
}

}  // namespace
}  // namespace chz::kiosk::views

namespace chz::kiosk::views {
namespace {

TEST_CASE("views: the glyph corpus holds names and titles, and body holds them too") {
  testing::DomainFixture f;
  f.person("阿依古丽·买买提", 402);
  auto g = testing::must(glyph_corpus(f.store));
  for (const char* s : {"阿依古丽·买买提", "赵建国", "王丽娟", "中蜂养殖2027春季班", "中蜂养殖"}) {
    CHECK(g.titles.find(s) != std::string::npos);
    CHECK(g.body.find(s) != std::string::npos);
  }
}

}  // namespace
}  // namespace chz::kiosk::views
