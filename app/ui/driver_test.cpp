#include "app/ui/driver.h"

#include <doctest/doctest.h>

using namespace chz::app;

TEST_CASE("driver: a script parses into steps, comments and blank lines skipped") {
  auto s =
      parse_script("# welcome\n\ntap welcome.checkin\ntype 1405\nexpect 请输入身份证号码\nquit\n");
  REQUIRE(s.ok());
  REQUIRE(s->size() == 4);
  CHECK((*s)[0].verb == "tap");
  CHECK((*s)[0].arg == "welcome.checkin");
  CHECK((*s)[2].arg == "请输入身份证号码");
  CHECK((*s)[0].line == 3);
}

TEST_CASE("driver: an unknown step is refused with its line number") {
  auto s = parse_script("tap a\nfly away\n");
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().message().find("line 2") != std::string::npos);
}

TEST_CASE("driver: a step without its argument is refused") {
  auto s = parse_script("tap\n");
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().message().find("needs an argument") != std::string::npos);
}

TEST_CASE("driver: variables from the fixture fill $name") {
  auto s = parse_script("type $proctor\n");
  REQUIRE(s.ok());
  substitute_vars(*s, "proctor=482913\n");
  CHECK((*s)[0].arg == "482913");
}
