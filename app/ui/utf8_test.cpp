#include "app/ui/utf8.h"

#include <doctest/doctest.h>

using namespace chz::app;

TEST_CASE("utf8: decodes Chinese, Ext B and the middle dot") {
  auto v = utf8_decode("𠮷明·阿依");
  REQUIRE(v.size() == 5);
  CHECK(v[0] == 0x20BB7);
  CHECK(v[1] == U'明');
  CHECK(v[2] == 0xB7);
  CHECK(utf8_encode(0x20BB7) == "𠮷");
}

TEST_CASE("utf8: malformed bytes become replacement characters, not errors") {
  auto v = utf8_decode(std::string("a\xE4\xB8", 3));
  REQUIRE(v.size() == 3);
  CHECK(v[1] == 0xFFFD);
}

TEST_CASE("utf8: pop_back removes one whole character") {
  CHECK(utf8_pop_back("王𠮷") == "王");
  CHECK(utf8_pop_back("1405X") == "1405");
  CHECK(utf8_pop_back("") == "");
}

TEST_CASE("glyphs: ranges hold only the characters used, merged when adjacent") {
  GlyphSet g;
  g.add_text("学员学员𠮷");
  auto r = g.bmp_ranges();
  // ASCII, then 学 and 员 (not adjacent code points), then the 0 terminator.
  REQUIRE(r.size() == 7);
  CHECK(r[0] == 0x20);
  CHECK(r[6] == 0);
  CHECK(g.beyond_bmp_members() == std::vector<char32_t>{0x20BB7});
  GlyphSet h;
  h.add_text("一丁");  // U+4E00, U+4E01: one range
  CHECK(h.bmp_ranges().size() == 5);
}
