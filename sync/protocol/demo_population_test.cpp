#include "sync/protocol/demo_population.h"

#include <doctest/doctest.h>

#include <set>

#include "sync/protocol/idcard.h"

using namespace chz;
using namespace chz::sync;

TEST_CASE("demo: the same seed gives the same people; another seed others") {
  CivilDate on{2027, 3, 15};
  auto a = demo::people(7, 50, on), b = demo::people(7, 50, on), c = demo::people(8, 50, on);
  REQUIRE(a.size() == 50);
  for (size_t i = 0; i < a.size(); ++i) CHECK(a[i].id_number == b[i].id_number);
  CHECK(a[0].id_number != c[0].id_number);
}

TEST_CASE(
    "demo: every person has a valid 沁水 ID number, is 16–60, and lives in a township of the "
    "county") {
  CivilDate on{2027, 3, 15};
  auto ps = demo::people(1, 2000, on);
  std::set<std::string> ids, townships(demo::townships().begin(), demo::townships().end()),
      seen_towns;
  int rare = 0, dotted = 0, with_groups = 0;
  for (const auto& p : ps) {
    auto card = parse_id_number(p.id_number);
    REQUIRE_MESSAGE(card.ok(), card.status().to_string());
    CHECK(p.id_number.substr(0, 6) == "140521");
    int age = age_on(card->birth, on);
    CHECK(age >= 16);
    CHECK(age <= 60);
    CHECK(ids.insert(p.id_number).second);
    CHECK(townships.count(p.township) == 1);
    seen_towns.insert(p.township);
    if (!p.phone.empty()) CHECK(parse_phone(p.phone).ok());
    for (const char* r : {"𠮷", "䶮", "堃", "喆"})
      if (p.name.find(r) != std::string::npos) ++rare;
    if (p.name.find("·") != std::string::npos) ++dotted;
    if (!p.groups.empty()) ++with_groups;
  }
  CHECK(seen_towns.size() == 14);
  CHECK(rare > 10);
  CHECK(dotted > 5);
  CHECK(with_groups > 400);
}

TEST_CASE("demo: every site has an admin, two trainers and an assessor") {
  auto sites = demo::sites();
  CHECK(sites.size() == 14);
  CHECK(sites[0].township == "龙港镇");
  auto st = demo::staff(1);
  CHECK(st.size() == 56);
  CHECK(st[0].role == "site_admin");
  CHECK(st[1].role == "trainer");
  CHECK(st[3].role == "assessor");
}
