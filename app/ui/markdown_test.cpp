#include "app/ui/markdown.h"

#include <doctest/doctest.h>

using namespace chz::app;

TEST_CASE("markdown: headings, paragraphs and list items become blocks") {
  auto b = parse_markdown("# 蜂群的组成\n\n一群蜂由**蜂王**、工蜂和雄蜂组成。\n\n- 蜂王\n- 工蜂\n");
  REQUIRE(b.size() == 4);
  CHECK(b[0].kind == MdBlock::kHeading);
  CHECK(b[0].text == "蜂群的组成");
  CHECK(b[1].text == "一群蜂由蜂王、工蜂和雄蜂组成。");
  CHECK(b[2].kind == MdBlock::kListItem);
  CHECK(b[3].text == "工蜂");
}

TEST_CASE("markdown: images keep their path and are not read aloud") {
  auto b = parse_markdown("看图：\n\n![蜂箱](media/hive.png)\n");
  bool has_img = false;
  for (const auto& x : b)
    if (x.kind == MdBlock::kImage) has_img = x.text == "media/hive.png";
  CHECK(has_img);
  CHECK(speakable_text(b).find("hive") == std::string::npos);
}
