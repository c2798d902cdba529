#include "common/log.h"

#include <doctest/doctest.h>

using namespace chz;

TEST_CASE("log: a field cannot start a second line") {
  CHECK(log_field("/a\nb\rc") == "/a\\x0ab\\x0dc");
  CHECK(log_field(std::string_view("a\0b", 3)) == "a\\x00b");
  CHECK(log_field("\x1b[31m\x7f") == "\\x1b[31m\\x7f");
  CHECK(log_field("\\x0a") == "\\x5cx0a");  // a literal escape stays distinguishable
}

TEST_CASE("log: valid UTF-8 is kept, invalid bytes and C1 controls are escaped") {
  CHECK(log_field("城关镇") == "城关镇");
  CHECK(log_field("a\xff\xfe") == "a\\xff\\xfe");
  CHECK(log_field("\xc0\xaf") == "\\xc0\\xaf");           // overlong '/'
  CHECK(log_field("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // a surrogate
  CHECK(log_field("\xc2\x85") == "\\xc2\\x85");           // NEL
  CHECK(log_field("\xe5\x9f") == "\\xe5\\x9f");           // cut sequence
}

TEST_CASE("log: a long field is capped and says how long it was") {
  std::string s(1000, 'a');
  auto f = log_field(s, 10);
  CHECK(f == "aaaaaaaaaa...(1000 bytes)");
  // A multi-byte character cut by the cap is escaped, not split.
  CHECK(log_field("ab城", 4) == "ab\\xe5\\x9f...(5 bytes)");
}
