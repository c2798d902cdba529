#include "sync/protocol/idcard.h"

#include <doctest/doctest.h>

#include <random>

using namespace chz;
using namespace chz::sync;

namespace {

std::string make_id(std::mt19937& rng) {
  std::uniform_int_distribution<int> year(1940, 2010), month(1, 12), seqd(0, 999);
  CivilDate d{year(rng), month(rng), 1};
  d.day = std::uniform_int_distribution<int>(1, days_in_month(d.year, d.month))(rng);
  char buf[32];
  std::snprintf(buf, sizeof buf, "140521%04d%02d%02d%03d", d.year, d.month, d.day, seqd(rng));
  std::string s(buf);
  return s + id_check_char(s);
}

}  // namespace

TEST_CASE("idcard: a known valid number passes and yields birth date and gender") {
  // 11010519491231002X is the standard's own worked example.
  auto r = parse_id_number("11010519491231002X");
  REQUIRE(r.ok());
  CHECK(r->birth == CivilDate{1949, 12, 31});
  CHECK(r->gender == Gender::kFemale);
  CHECK(r->region == "110105");
}

TEST_CASE("idcard: a lower-case x is accepted and normalised, spaces trimmed") {
  auto r = parse_id_number(" 11010519491231002x ");
  REQUIRE(r.ok());
  CHECK(r->number == "11010519491231002X");
}

TEST_CASE("idcard: X anywhere but last is refused") {
  auto r = parse_id_number("1101051949123100X2");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().key() == "id.chars");
}

TEST_CASE("idcard: wrong length is refused with id.length") {
  CHECK(parse_id_number("").status().key() == "id.length");
  CHECK(parse_id_number("11010519491231002").status().key() == "id.length");
  CHECK(parse_id_number("11010519491231002X1").status().key() == "id.length");
}

TEST_CASE("idcard: a wrong check character is refused with id.check_digit") {
  auto r = parse_id_number("110105194912310021");
  CHECK(r.status().key() == "id.check_digit");
  CHECK(r.status().message().find("110105") == std::string::npos);
}

TEST_CASE("idcard: no province code is refused with id.region") {
  std::string s = "990105194912310020";
  s[17] = id_check_char(s);
  CHECK(parse_id_number(s).status().key() == "id.region");
}

TEST_CASE("idcard: 29 February in a non-leap year is refused, in a leap year accepted") {
  std::string bad = "14052119990229001";
  bad += id_check_char(bad);
  CHECK(parse_id_number(bad).status().key() == "id.birth_date");
  std::string good = "14052120000229001";
  good += id_check_char(good);
  CHECK(parse_id_number(good).ok());
  std::string m13 = "14052119991301001";
  m13 += id_check_char(m13);
  CHECK(parse_id_number(m13).status().key() == "id.birth_date");
}

TEST_CASE("idcard: generated valid numbers pass; every single change and adjacent swap fails") {
  std::mt19937 rng(20261123);
  const std::string alphabet = "0123456789X";
  int checked = 0;
  for (int n = 0; n < 300; ++n) {
    std::string id = make_id(rng);
    REQUIRE(parse_id_number(id).ok());
    for (size_t i = 0; i < id.size(); ++i) {
      for (char c : alphabet) {
        if (c == id[i]) continue;
        std::string m = id;
        m[i] = c;
        CHECK_MESSAGE(!parse_id_number(m).ok(), m);
        ++checked;
      }
      if (i + 1 < id.size() && id[i] != id[i + 1]) {
        std::string m = id;
        std::swap(m[i], m[i + 1]);
        CHECK_MESSAGE(!parse_id_number(m).ok(), m);
        ++checked;
      }
    }
  }
  CHECK(checked > 50000);
}

TEST_CASE("idcard: masking keeps first and last four") {
  CHECK(mask_id_number("14052119800101123X") == "1405**********123X");
  CHECK(mask_id_number("123") == "***");
}

TEST_CASE("idcard: phones are 11-digit mobiles, masked in the middle") {
  CHECK(*parse_phone("138 0000-5678") == "13800005678");
  CHECK(parse_phone("12800005678").status().key() == "phone.invalid");
  CHECK(parse_phone("1380000567").status().key() == "phone.invalid");
  CHECK(parse_phone("1380000567a").status().key() == "phone.invalid");
  CHECK(mask_phone("13800005678") == "138****5678");
}

TEST_CASE("idcard: a 15-digit old number upgrades to the standard's 18-character form") {
  // 110105491231002 is the old form of the standard's worked example.
  auto r = upgrade_id15("110105491231002");
  REQUIRE(r.ok());
  CHECK(*r == "11010519491231002X");
  CHECK(parse_id_number(*r).ok());
  CHECK(*upgrade_id15(" 140521800101123 ") ==
        "14052119800101123" + std::string(1, id_check_char("14052119800101123")));
}

TEST_CASE("idcard: upgrade_id15 refuses other lengths, non-digits and impossible dates") {
  CHECK(upgrade_id15("11010549123100").status().key() == "id.length");
  CHECK(upgrade_id15("11010519491231002X").status().key() == "id.length");
  CHECK(upgrade_id15("11010549123100X").status().key() == "id.chars");
  CHECK(upgrade_id15("110105490231002").status().key() == "id.birth_date");  // 1949-02-31
  CHECK(upgrade_id15("990105491231002").status().key() == "id.region");
  CHECK(upgrade_id15("110105491231002").status().message().find("110105") == std::string::npos);
}
