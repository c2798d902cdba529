#include "sync/server/registry_import.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "common/testing/temp_dir.h"
#include "sync/protocol/person_key.h"
#include "sync/protocol/record_kinds.h"
#include "sync/protocol/wire.h"
#include "sync/server/county_model.h"
#include "sync/server/testing/registry_fixtures.h"

using namespace chz;
using namespace chz::server;
using chz::server::testing::make_id;
using chz::server::testing::write_file;

namespace {

constexpr std::int64_t kNow = 1'790'000'000'000;
const char* const kHeader = "姓名,身份证号,性别,乡镇,村,联系电话,就业状态,重点群体\n";

struct Row {
  std::string name, id, township, village, phone, employment, groups;
};

std::string csv(const std::vector<Row>& rows) {
  std::string out = kHeader;
  for (const auto& r : rows)
    out += fmt::format("{},{},,{},{},{},{},{}\n", r.name, r.id, r.township, r.village, r.phone,
                       r.employment, r.groups);
  return out;
}

// Five fictional people; 王𠮷祥's name has a character outside the BMP.
std::vector<Row> five() {
  return {
      {"张伟", make_id("140521", 1985, 3, 12, 11), "城关镇", "东关村", "13800000001", "已就业",
       "贫困劳动力"},
      {"李秀英", make_id("140521", 1990, 7, 1, 22), "城关镇", "西关村", "13800000002", "未就业",
       ""},
      {"王𠮷祥", make_id("140521", 1978, 11, 30, 33), "北留镇", "皇城村", "", "",
       "退役军人;就业困难人员"},
      {"赵敏", make_id("140521", 2001, 1, 9, 44), "北留镇", "郭壁村", "13900000004", "", "两后生"},
      {"刘洋", make_id("140521", 1968, 5, 20, 55), "润城镇", "上庄村", "13900000005", "务工", ""},
  };
}

struct Fixture {
  chz::testing::TempDir dir{"chz-registry-import"};
  std::unique_ptr<ServerStore> s;
  CountyKeys keys;
  std::int64_t now = kNow;
  Fixture() {
    s = open_sqlite_store((dir / "county").string()).value();
    keys = make_county_keys("示范县人社局", {"localhost"}, kNow).value();
    REQUIRE(s->add_site("site-1", "城关培训点", "城关镇").ok());
  }
  std::string file(const std::string& name, const std::string& bytes) {
    auto p = dir / name;
    write_file(p, bytes);
    return p.string();
  }
  Result<RegistryImportResult> import(const std::string& path, const std::string& today,
                                      bool dry = false) {
    RegistryImportOptions o;
    o.today = today;
    o.dry_run = dry;
    // Each import a minute later: append_county stamps records {now_ms, i},
    // so two imports in one millisecond would share stamps and the second
    // would not replace the first's fields.
    now += 60'000;
    return import_registry(*s, keys, path, o, now);
  }
  std::string key(const std::string& id) { return sync::person_key(keys.person_key, id); }
  std::size_t county_records() { return s->records_of("county").value().size(); }
  std::int64_t scalar(const std::string& q, const SqlArgs& args = {}) {
    std::int64_t v = -1;
    REQUIRE(s->model([&](ModelTx& tx) -> Status {
               CHZ_ASSIGN_OR_RETURN(v, tx.sql().scalar(q, args));
               return OkStatus();
             }).ok());
    return v;
  }
  std::string text(const std::string& q, const SqlArgs& args = {}) {
    std::string v;
    REQUIRE(s->model([&](ModelTx& tx) -> Status {
               auto r = tx.sql().query(q, args);
               if (!r.ok()) return r.status();
               v = r->empty() ? "<no row>" : r->front().null(0) ? "<null>" : r->front().text(0);
               return OkStatus();
             }).ok());
    return v;
  }
};

}  // namespace

TEST_CASE("registry import: a new registry adds everyone with an open span") {
  Fixture f;
  auto people = five();
  auto r = f.import(f.file("reg.csv", csv(people)), "2026-03-01").value();
  CHECK(r.added == 5);
  CHECK(r.updated == 0);
  CHECK(r.unchanged == 0);
  CHECK(r.left == 0);
  CHECK_FALSE(r.leaves_skipped);
  CHECK(r.file.data_rows == 5);
  CHECK(f.county_records() == 5);
  std::string wang = f.key(people[2].id);
  CHECK(f.text("SELECT name FROM cm_people WHERE id = ?", {wang}) == "王𠮷祥");
  CHECK(f.text("SELECT name_source FROM cm_people WHERE id = ?", {wang}) == "registry");
  CHECK(f.text("SELECT from_day FROM cm_registry WHERE person = ?", {wang}) == "2026-03-01");
  CHECK(f.text("SELECT to_day FROM cm_registry WHERE person = ?", {wang}) == "<null>");
  CHECK(f.scalar("SELECT COUNT(*) FROM cm_person_groups WHERE person = ? AND member = 1", {wang}) ==
        2);
  auto c = registry_counts(*f.s).value();
  CHECK(c.members == 5);
  CHECK(c.left == 0);
  CHECK(c.not_in_registry == 0);
}

TEST_CASE("registry import: the same file again writes nothing") {
  Fixture f;
  auto path = f.file("reg.csv", csv(five()));
  REQUIRE(f.import(path, "2026-03-01").ok());
  std::size_t before = f.county_records();
  auto r = f.import(path, "2026-04-01").value();
  CHECK(r.added == 0);
  CHECK(r.updated == 0);
  CHECK(r.unchanged == 5);
  CHECK(r.left == 0);
  CHECK(f.county_records() == before);
}

TEST_CASE("registry import: a changed village updates, a missing person leaves on today") {
  Fixture f;
  auto people = five();
  REQUIRE(f.import(f.file("reg.csv", csv(people)), "2026-03-01").ok());
  std::size_t before = f.county_records();
  auto next = people;
  next[1].village = "南关村";
  Row gone = next.back();
  next.pop_back();
  auto r = f.import(f.file("reg2.csv", csv(next)), "2026-04-01").value();
  CHECK(r.added == 0);
  CHECK(r.updated == 1);
  CHECK(r.unchanged == 3);
  CHECK(r.left == 1);
  CHECK(f.county_records() == before + 2);
  std::string li = f.key(people[1].id);
  CHECK(f.text("SELECT village FROM cm_people WHERE id = ?", {li}) == "南关村");
  // The updated member keeps the span they were in.
  CHECK(f.scalar("SELECT COUNT(*) FROM cm_registry WHERE person = ?", {li}) == 1);
  CHECK(f.text("SELECT to_day FROM cm_registry WHERE person = ?", {f.key(gone.id)}) ==
        "2026-04-01");
  auto c = registry_counts(*f.s).value();
  CHECK(c.members == 4);
  CHECK(c.left == 1);
  CHECK(c.not_in_registry == 1);
}

TEST_CASE("registry import: a dry run counts the same and writes nothing") {
  Fixture f;
  auto people = five();
  REQUIRE(f.import(f.file("reg.csv", csv(people)), "2026-03-01").ok());
  std::size_t before = f.county_records();
  auto next = people;
  next[0].phone = "13700000009";
  next.pop_back();
  next.push_back({"陈静", make_id("140521", 1995, 2, 2, 66), "城关镇", "东关村", "", "", ""});
  auto path = f.file("reg2.csv", csv(next));
  auto dry = f.import(path, "2026-04-01", true).value();
  CHECK(dry.added == 1);
  CHECK(dry.updated == 1);
  CHECK(dry.left == 1);
  CHECK(f.county_records() == before);
  CHECK(f.text("SELECT phone FROM cm_people WHERE id = ?", {f.key(people[0].id)}) == "13800000001");
  CHECK(f.scalar("SELECT COUNT(*) FROM cm_registry WHERE to_day IS NULL") == 5);
  // The real run then does what the dry run said.
  auto real = f.import(path, "2026-04-01").value();
  CHECK(real.added == dry.added);
  CHECK(real.updated == dry.updated);
  CHECK(real.left == dry.left);
  CHECK(f.county_records() == before + 3);
}

TEST_CASE("registry import: a file with a refused row writes no leaves") {
  Fixture f;
  auto people = five();
  REQUIRE(f.import(f.file("reg.csv", csv(people)), "2026-03-01").ok());
  std::size_t before = f.county_records();
  auto next = people;
  next[2].id = chz::server::testing::bad_check(next[2].id);  // refused: may still be a member
  next.pop_back();                                           // absent: would leave
  auto r = f.import(f.file("reg2.csv", csv(next)), "2026-04-01").value();
  CHECK(r.leaves_skipped);
  CHECK(r.left == 0);
  CHECK(r.unchanged == 3);
  CHECK(f.county_records() == before);
  CHECK(f.scalar("SELECT COUNT(*) FROM cm_registry WHERE to_day IS NULL") == 5);
}

TEST_CASE("registry import: a refused file changes nothing and returns the error") {
  Fixture f;
  REQUIRE(f.import(f.file("reg.csv", csv(five())), "2026-03-01").ok());
  std::size_t before = f.county_records();
  std::string junk;
  std::srand(7);
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>(std::rand() & 0xff));
  junk[0] = '\0';
  auto r = f.import(f.file("junk.csv", junk), "2026-04-01");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().key() == "registry.format");
  CHECK(f.county_records() == before);
  CHECK(f.scalar("SELECT COUNT(*) FROM cm_registry WHERE to_day IS NULL") == 5);
  // No header either: refused, nothing written.
  auto nh = f.import(f.file("noheader.csv", "甲,乙\n1,2\n"), "2026-04-01");
  REQUIRE_FALSE(nh.ok());
  CHECK(nh.status().key() == "registry.no_header");
  CHECK(f.county_records() == before);
  // A bad --today is refused before anything is read.
  CHECK(f.import(f.file("reg.csv", csv(five())), "2026-13-01").status().key() ==
        "registry.bad_today");
}

TEST_CASE("registry import: a person a kiosk registered gets the registry's name") {
  Fixture f;
  auto people = five();
  std::string key = f.key(people[0].id);
  // The kiosk typed the name wrong.
  REQUIRE(f.s->add_code({"code-k", {}, "site-1", kNow + 1000, false}).ok());
  REQUIRE(f.s->enroll_device("code-k", kNow, {"kiosk-a", "site-1", {}, {}, false, 0, kNow}).ok());
  sync::Record rec;
  std::int64_t t = kNow - 86'400'000;
  rec.meta = {sync::record_uuid("kiosk-a", 1, t), "kiosk-a", 1, {t, 0}, t, -850};
  rec.kind = std::string(sync::kinds::kPerson);
  rec.body = fmt::format(
      R"({{"entity":"{}","id_number":"{}","name":"张玮","name_source":"kiosk","village":"东关"}})",
      sync::kinds::entity(sync::kinds::kPerson, key), people[0].id);
  REQUIRE(f.s->ingest(f.s->device("kiosk-a").value(), {rec}, kNow).ok());
  CHECK(f.text("SELECT name FROM cm_people WHERE id = ?", {key}) == "张玮");
  CHECK(registry_counts(*f.s).value().not_in_registry == 1);

  auto r = f.import(f.file("reg.csv", csv(people)), "2026-03-01").value();
  CHECK(r.added == 5);  // known to the model, new to the registry
  CHECK(f.text("SELECT name FROM cm_people WHERE id = ?", {key}) == "张伟");
  CHECK(f.text("SELECT name_source FROM cm_people WHERE id = ?", {key}) == "registry");
  CHECK(f.text("SELECT village FROM cm_people WHERE id = ?", {key}) == "东关村");
  CHECK(f.scalar("SELECT COUNT(*) FROM cm_people") == 5);
}

TEST_CASE("registry import: registry records go to the registry feed only") {
  Fixture f;
  auto people = five();
  REQUIRE(f.import(f.file("reg.csv", csv(people)), "2026-03-01").ok());
  people.pop_back();
  REQUIRE(f.import(f.file("reg2.csv", csv(people)), "2026-04-01").value().left == 1);
  std::string certs =
      "姓名,身份证号,证书类型,职业(工种),等级,证书编号,发证日期,发证机构\n"
      "张伟," +
      people[0].id +
      ",职业技能等级证书,中式烹调师,四级,S000014052100001,2024-06-01,示范县职业技能鉴定所\n";
  REQUIRE(import_held_certificates(*f.s, f.keys, f.file("certs.csv", certs), false, kNow)
              .value()
              .added == 1);
  auto site = f.s->feed("site-1", "", 0, 1000).value();
  CHECK(site.records.empty());
  auto reg = f.s->feed(std::string(model::kRegistryFeed), "", 0, 1000).value();
  CHECK(reg.records.size() == 7);
  for (const auto& rec : reg.records)
    CHECK((rec.kind == model::kRegistryEntry || rec.kind == model::kRegistryLeave ||
           rec.kind == model::kHeldCertificate));
}

TEST_CASE("registry import: held certificates are added once") {
  Fixture f;
  auto people = five();
  std::string certs =
      "姓名,身份证号,证书类型,职业(工种),等级,证书编号,发证日期,发证机构\n"
      "张伟," +
      people[0].id +
      ",职业技能等级证书,中式烹调师,四级,S000014052100001,2024-06-01,示范县职业技能鉴定所\n"
      "王𠮷祥," +
      people[2].id + ",专项职业能力证书,农机维修,,Z2023000123,2023/5/8,示范县人社局\n";
  auto path = f.file("certs.csv", certs);
  auto dry = import_held_certificates(*f.s, f.keys, path, true, kNow).value();
  CHECK(dry.added == 2);
  CHECK(f.county_records() == 0);
  auto r = import_held_certificates(*f.s, f.keys, path, false, kNow).value();
  CHECK(r.added == 2);
  CHECK(r.unchanged == 0);
  CHECK(f.scalar("SELECT COUNT(*) FROM cm_held WHERE source = 'import'") == 2);
  CHECK(f.text("SELECT day FROM cm_held WHERE ref = ?", {"import:Z2023000123"}) == "2023-05-08");
  CHECK(f.text("SELECT person FROM cm_held WHERE ref = ?", {"import:Z2023000123"}) ==
        f.key(people[2].id));
  std::size_t before = f.county_records();
  auto again = import_held_certificates(*f.s, f.keys, path, false, kNow).value();
  CHECK(again.added == 0);
  CHECK(again.unchanged == 2);
  CHECK(f.county_records() == before);
  CHECK(f.scalar("SELECT COUNT(*) FROM cm_held") == 2);
}

// 100,000 rows take about 35 s on a 2-core build machine, nearly all of it
// in append_county's projection (about 30 statements per registry_entry
// over SQLCipher's default 2 MB page cache); the comparison on re-import
// takes about 2 s. The default run uses 20,000 rows; CHZ_BIG_REGISTRY=1
// runs the full size.
TEST_CASE("registry import: a large registry imports, and again writes nothing") {
  Fixture f;
  const int kRows = std::getenv("CHZ_BIG_REGISTRY") ? 100'000 : 20'000;
  static const char* const kSurnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄"};
  static const char* const kGiven[] = {"伟", "芳", "娜", "敏", "静", "强", "磊", "𠮷"};
  std::string out = kHeader;
  out.reserve(static_cast<std::size_t>(kRows) * 80);
  for (int i = 0; i < kRows; ++i) {
    // Distinct IDs: the day of 1950..2005 and a sequence.
    int day = i % 20'000;
    CivilDate birth = civil_from_days(days_from_civil({1950, 1, 1}) + day);
    std::string id = make_id("140521", birth.year, birth.month, birth.day, i / 20'000 + 1);
    out += fmt::format("{}{}{},{},,城关镇,东关村,139{:08d},已就业,{}\n", kSurnames[i % 8],
                       kGiven[(i / 8) % 8], kGiven[(i / 64) % 8], id, i,
                       i % 5 == 0 ? "贫困劳动力" : "");
  }
  auto path = f.file("big.csv", out);
  auto r = f.import(path, "2026-03-01").value();
  CHECK(r.file.issues.empty());
  CHECK(r.added == kRows);
  CHECK(f.scalar("SELECT COUNT(*) FROM cm_registry WHERE to_day IS NULL") == kRows);
  auto again = f.import(path, "2026-04-01").value();
  CHECK(again.unchanged == kRows);
  CHECK(f.county_records() == static_cast<std::size_t>(kRows));
}
