#include "kiosk/people.h"

#include <doctest/doctest.h>

#include "kiosk/audit.h"
#include "kiosk/domain_fixture.h"

using namespace chz;
using namespace chz::kiosk;
using namespace chz::kiosk::testing;

namespace {
PersonInput walk_in(const std::string& id, const std::string& name = "李𠮷祥") {
  return {id, name, "端氏镇", "坪上村", "13912345678", {"退役军人"}};
}
std::int64_t people_count(DomainFixture& f) {
  return *f.db().query_int("SELECT count(*) FROM people");
}
}  // namespace

TEST_CASE("people: a walk-in is registered; birth date and gender come from the ID number") {
  DomainFixture f;
  auto id = id_number_born({1980, 2, 29}, 135);  // odd sequence: male
  auto key = must(register_person(f.db(), f.clock, f.trainer, walk_in(id)));
  auto p = must(get_person(f.db(), key));
  CHECK(p.name == "李𠮷祥");
  CHECK(p.birth == CivilDate{1980, 2, 29});
  CHECK(p.gender == sync::Gender::kMale);
  CHECK(p.groups == std::vector<std::string>{"退役军人"});
  CHECK(p.masked_id() == id.substr(0, 4) + "**********" + id.substr(14));
  CHECK(p.masked_phone() == "139****5678");
  CHECK(must(find_person_by_id_number(f.db(), id)).key == key);
}

TEST_CASE("people: outside 16–60 on the day of registration nothing is stored") {
  DomainFixture f;
  CivilDate t = f.today();
  CivilDate turns16_tomorrow = civil_from_days(days_from_civil({t.year - 16, t.month, t.day}) + 1);
  auto r =
      register_person(f.db(), f.clock, f.trainer, walk_in(id_number_born(turns16_tomorrow, 1)));
  CHECK(r.status().key() == "person.age");
  CivilDate turned61_today{t.year - 61, t.month, t.day};
  if (!is_valid_date(turned61_today)) turned61_today.day = 28;
  r = register_person(f.db(), f.clock, f.trainer, walk_in(id_number_born(turned61_today, 2)));
  CHECK(r.status().key() == "person.age");
  CHECK(people_count(f) == 0);
  CivilDate sixteen_today{t.year - 16, t.month, t.day == 29 && t.month == 2 ? 28 : t.day};
  CHECK(
      register_person(f.db(), f.clock, f.trainer, walk_in(id_number_born(sixteen_today, 3))).ok());
  CivilDate sixty_one_tomorrow =
      civil_from_days(days_from_civil({t.year - 61, t.month, 1}) + t.day);
  CHECK(register_person(f.db(), f.clock, f.trainer, walk_in(id_number_born(sixty_one_tomorrow, 4)))
            .ok());
}

TEST_CASE("people: an invalid ID number is refused with its reason and nothing is stored") {
  DomainFixture f;
  auto id = id_number_born({1985, 6, 1}, 5);
  id[17] = id[17] == '0' ? '1' : '0';
  CHECK(register_person(f.db(), f.clock, f.trainer, walk_in(id)).status().key() ==
        "id.check_digit");
  CHECK(register_person(f.db(), f.clock, f.trainer, walk_in("1405211985")).status().key() ==
        "id.length");
  CHECK(people_count(f) == 0);
}

TEST_CASE("people: registering the same person twice is refused") {
  DomainFixture f;
  auto id = id_number_born({1985, 6, 1}, 5);
  REQUIRE(register_person(f.db(), f.clock, f.trainer, walk_in(id)).ok());
  std::string lower = id;
  lower[17] = static_cast<char>(std::tolower(lower[17]));
  CHECK(register_person(f.db(), f.clock, f.trainer, walk_in(lower)).status().key() ==
        "person.exists");
}

TEST_CASE("people: names keep rare characters and the minority middle dot; others are refused") {
  CHECK(*normalize_name("𠮷") == "𠮷");
  CHECK(*normalize_name(" 阿依古丽•买买提 ") == "阿依古丽·买买提");
  CHECK(*normalize_name("古丽・努尔") == "古丽·努尔");
  CHECK(*normalize_name("王䶮") == "王䶮");
  CHECK(normalize_name("").status().key() == "name.empty");
  CHECK(normalize_name("·阿里").status().key() == "name.dot");
  CHECK(normalize_name("阿里·").status().key() == "name.dot");
  CHECK(normalize_name("阿里··木").status().key() == "name.dot");
  CHECK(normalize_name("张3").status().key() == "name.chars");
  CHECK(normalize_name("张\xff").status().key() == "name.chars");
  std::string long_name;
  for (int i = 0; i < 31; ++i) long_name += "张";
  CHECK(normalize_name(long_name).status().key() == "name.length");
}

TEST_CASE("people: township, village and phone are validated") {
  DomainFixture f;
  auto in = walk_in(id_number_born({1975, 1, 1}, 8));
  in.phone = "1391234567";
  CHECK(register_person(f.db(), f.clock, f.trainer, in).status().key() == "phone.invalid");
  in.phone = "";
  in.village = "";
  CHECK(register_person(f.db(), f.clock, f.trainer, in).status().key() == "place.empty");
  in.village = "坪上村<script>";
  CHECK(register_person(f.db(), f.clock, f.trainer, in).status().key() == "place.chars");
  in.village = "坪上村";
  in.groups = {"不存在的群体"};
  CHECK(register_person(f.db(), f.clock, f.trainer, in).status().key() == "group.unknown");
  CHECK(people_count(f) == 0);
}

TEST_CASE("people: a trainee cannot register people; a kiosk without a county key cannot either") {
  DomainFixture f;
  auto in = walk_in(id_number_born({1975, 1, 1}, 8));
  CHECK(register_person(f.db(), f.clock, Actor::trainee("x"), in).status().key() == "role.denied");
  REQUIRE(f.db().exec("DELETE FROM settings WHERE key = 'county.person_key'").ok());
  CHECK(register_person(f.db(), f.clock, f.trainer, in).status().key() == "device.not_enrolled");
}

TEST_CASE("people: key groups are added and removed as a set") {
  DomainFixture f;
  auto key =
      must(register_person(f.db(), f.clock, f.trainer, walk_in(id_number_born({1990, 5, 5}, 9))));
  REQUIRE(
      change_key_groups(f.db(), f.clock, f.trainer, key, {"两后生", "就业困难人员"}, {"退役军人"})
          .ok());
  CHECK(must(get_person(f.db(), key)).groups == std::vector<std::string>{"两后生", "就业困难人员"});
  CHECK(change_key_groups(f.db(), f.clock, f.trainer, key, {"其他"}, {}).key() == "group.unknown");
}

TEST_CASE("people: profile changes keep the rest; the audit log holds no names or ID numbers") {
  DomainFixture f;
  auto id = id_number_born({1990, 5, 5}, 9);
  auto key = must(register_person(f.db(), f.clock, f.trainer, walk_in(id)));
  REQUIRE(update_person(f.db(), f.clock, f.trainer, key, {std::nullopt, std::nullopt, "西村", ""})
              .ok());
  auto p = must(get_person(f.db(), key));
  CHECK(p.village == "西村");
  CHECK(p.phone.empty());
  CHECK(p.township == "端氏镇");
  auto text = *f.db().query_text("SELECT group_concat(detail || actor, '|') FROM audit");
  CHECK(text.find(id) == std::string::npos);
  CHECK(text.find("李𠮷祥") == std::string::npos);
  CHECK(text.find("13912345678") == std::string::npos);
  CHECK(text.find(key) != std::string::npos);
}

TEST_CASE("people: listing shows everyone, ordered by township and name") {
  DomainFixture f;
  // Registered out of order; listed by township, then name, in the store's
  // byte (= Unicode code point) order: 中 < 端 < 龙, 王 < 郭, 张 < 王.
  struct In {
    const char* name;
    const char* township;
  };
  const In ins[] = {{"王喆", "龙港镇"},
                    {"郭堃", "端氏镇"},
                    {"张𠮷", "龙港镇"},
                    {"王䶮", "端氏镇"},
                    {"李娜", "中村镇"}};
  int seq = 101;
  for (const In& in : ins) {
    PersonInput p{id_number_born({1985, 6, 1}, seq++), in.name, in.township, "青龙村", "", {}};
    must(register_person(f.db(), f.clock, f.trainer, p));
  }
  std::vector<std::string> got;
  for (const Person& p : must(list_people(f.db()))) got.push_back(p.township + " " + p.name);
  CHECK(got == std::vector<std::string>{"中村镇 李娜", "端氏镇 王䶮", "端氏镇 郭堃", "龙港镇 张𠮷",
                                        "龙港镇 王喆"});
}
