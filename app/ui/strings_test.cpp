#include "app/ui/strings.h"

#include <doctest/doctest.h>

#include <set>

using namespace chz::app;

TEST_CASE("strings: every key is unique and has both languages") {
  std::set<std::string_view> keys;
  for (const auto& e : string_table()) {
    CHECK_MESSAGE(keys.insert(e.key).second, e.key);
    CHECK_MESSAGE(!e.zh.empty(), e.key);
    CHECK_MESSAGE(!e.en.empty(), e.key);
  }
}

TEST_CASE("strings: Chinese is the first language and English switches at runtime") {
  CHECK(tr(Lang::kZh, "welcome.checkin") == "学员签到");
  CHECK(tr(Lang::kEn, "welcome.checkin") == "Sign in");
}

TEST_CASE("strings: the ID validation keys of sync/protocol have words") {
  for (auto k : {"id.length", "id.chars", "id.region", "id.birth_date", "id.check_digit"})
    CHECK_MESSAGE(has_string(k), k);
}

TEST_CASE("strings: placeholders are filled in order") {
  CHECK(trf(Lang::kZh, "home.hours", "12", "40") == "已学 12 / 需学 40 学时");
  CHECK(trf(Lang::kEn, "signin.count", "7") == "7 of 18 characters");
}

TEST_CASE("strings: an unknown key shows itself rather than nothing") {
  CHECK(tr(Lang::kZh, "no.such.key") == "no.such.key");
}
