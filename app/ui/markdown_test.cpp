#include "app/ui/markdown.h"

#include <doctest/doctest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

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

TEST_CASE("markdown: a text ending inside a link is read within its bounds") {
  // Found by tests/fuzz/markdown_fuzz: md4c 0.4.8 read past the end of
  // "[a](x" when nothing follows. The text sits just before a page that
  // cannot be read, so reading one byte too far ends the test (SIGSEGV).
  const long page = sysconf(_SC_PAGESIZE);
  void* m = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(m != MAP_FAILED);
  char* base = static_cast<char*>(m);
  REQUIRE(mprotect(base + page, page, PROT_NONE) == 0);
  for (std::string md :
       {"[a](x", "正文\n\n[链接](media", "![图](../media/a.png", "| a |\n|---|\n[a](x"}) {
    char* at = base + page - md.size();
    std::memcpy(at, md.data(), md.size());
    auto b = parse_markdown(std::string_view(at, md.size()));
    CHECK_MESSAGE(!b.empty(), md);
  }
  munmap(m, 2 * page);
}
