// The registry's row rules, on tables built in memory (the file formats
// have their own tests in registry_formats_test.cpp).
#include "sync/server/registry_file.h"

#include <doctest/doctest.h>

#include "sync/server/testing/registry_fixtures.h"

using namespace chz;
using namespace chz::server;
using chz::server::testing::bad_check;
using chz::server::testing::make_id;

namespace {

const std::vector<std::string> kHeader = {"序号", "姓名",     "身份证号", "性别",    "乡镇",
                                          "村",   "联系电话", "就业状态", "重点群体"};

Table table(const std::vector<std::vector<std::string>>& rows) {
  Table t;
  int n = 0;
  for (const auto& r : rows) {
    ++n;
    TableRow tr{n, {}};
    for (const auto& c : r) tr.cells.push_back(Cell{c, false});
    t.rows.push_back(std::move(tr));
  }
  return t;
}

// A registry with the standard header in row 1 and `rows` below it.
RegistryFile registry(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::vector<std::string>> all = {kHeader};
  all.insert(all.end(), rows.begin(), rows.end());
  auto r = read_registry(table(all), 2025);
  REQUIRE(r.ok());
  return *r;
}

const RowIssue* issue_at(const RegistryFile& f, int row, const std::string& key) {
  for (const auto& i : f.issues)
    if (i.row == row && i.key == key) return &i;
  return nullptr;
}

const std::string kMan = make_id("140521", 1985, 3, 7, 131);     // odd: 男
const std::string kWoman = make_id("140521", 1990, 11, 2, 242);  // even: 女

}  // namespace

TEST_CASE("registry: the header is found below title and empty rows, with variant spellings") {
  auto t = table({{"沁水县劳动力建档立卡花名册"},
                  {},
                  {"沁水县劳动力建档立卡花名册"},
                  {"序号", " 姓　名 ", "公民身份\n号码", "乡(镇)", "村（社区）", "手机号码"},
                  {"1", "张𠮷", kMan, "郑庄镇", "郑庄村", "13800005678"}});
  auto r = read_registry(t, 2025);
  REQUIRE(r.ok());
  CHECK(r->header_row == 4);
  CHECK(r->data_rows == 1);
  REQUIRE(r->people.size() == 1);
  const auto& p = r->people[0];
  CHECK(p.row == 5);
  CHECK(p.name == "张𠮷");
  CHECK(p.id_number == kMan);
  CHECK(p.gender == "男");
  CHECK(p.birth == "1985-03-07");
  CHECK(p.township == "郑庄镇");
  CHECK(p.village == "郑庄村");
  CHECK(p.phone == "13800005678");
  CHECK(p.employment.empty());
  CHECK(p.groups.empty());
}

TEST_CASE("registry: no header among the first 20 rows is refused naming the columns looked for") {
  auto r = read_registry(table({{"沁水县花名册"}, {"名字", "号码"}, {"张三", kMan}}), 2025);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kInvalidArgument);
  CHECK(r.status().key() == "registry.no_header");
  for (const char* name : {"姓名", "身份证号", "公民身份号码", "证件号码"})
    CHECK_MESSAGE(r.status().message().find(name) != std::string::npos, name);
}

TEST_CASE("registry: an ID stored as a number or shown in scientific notation is refused") {
  Table t = table({kHeader, {"1", "李龘", "", "男"}, {"2", "王䶮", "1.40521E+17", "男"}});
  t.rows[1].cells[2] = Cell{"140521198503071000", true};
  auto r = read_registry(t, 2025);
  REQUIRE(r.ok());
  CHECK(r->people.empty());
  for (int row : {2, 3}) {
    const RowIssue* i = issue_at(*r, row, "registry.id_as_number");
    REQUIRE(i);
    CHECK(i->fatal);
    CHECK(i->column == "身份证号");
    CHECK(i->what ==
          "身份证号被 Excel 存成了数字（如 1.40521E+17），末几位已经丢失，无法恢复："
          "请把该列设为文本格式后重新录入");
  }
}

TEST_CASE("registry: a 15-digit old ID is upgraded to 18 characters") {
  auto f = registry({{"1", "赵一", "140521850307131"}});
  REQUIRE(f.people.size() == 1);
  CHECK(f.people[0].id_number == kMan);
  CHECK(f.issues.empty());
}

TEST_CASE("registry: a bad check character refuses the row with parse_id_number's reason") {
  auto f = registry({{"1", "赵一", bad_check(kMan)}, {"2", "钱二", kWoman}});
  REQUIRE(f.people.size() == 1);
  CHECK(f.people[0].row == 3);
  const RowIssue* i = issue_at(f, 2, "id.check_digit");
  REQUIRE(i);
  CHECK(i->fatal);
  CHECK(i->what.find("check character") != std::string::npos);
  CHECK(i->what.find(kMan.substr(0, 6)) == std::string::npos);
}

TEST_CASE("registry: an impossible birth date and a birth year after today_year are refused") {
  std::string feb30 = "14052119900230123";
  feb30 += sync::id_check_char(feb30);
  auto f = registry({{"1", "孙三", feb30}, {"2", "周四", make_id("140521", 2030, 1, 1, 11)}});
  CHECK(f.people.empty());
  CHECK(issue_at(f, 2, "id.birth_date"));
  CHECK(issue_at(f, 3, "registry.birth_future"));
}

TEST_CASE("registry: 性别 must agree with the ID number") {
  auto f = registry({{"1", "吴五", kMan, "女"}, {"2", "郑六", kWoman, "女"}});
  REQUIRE(f.people.size() == 1);
  CHECK(f.people[0].gender == "女");
  const RowIssue* i = issue_at(f, 2, "registry.gender_mismatch");
  REQUIRE(i);
  CHECK(i->what == "性别与身份证号不符");
  CHECK(i->column == "性别");
  CHECK(i->fatal);
}

TEST_CASE("registry: a bad phone is a warning, the phone dropped and the row imported") {
  auto f = registry({{"1", "冯七", kMan, "", "", "", "0356-1234567"}});
  REQUIRE(f.people.size() == 1);
  CHECK(f.people[0].phone.empty());
  const RowIssue* i = issue_at(f, 2, "phone.invalid");
  REQUIRE(i);
  CHECK_FALSE(i->fatal);
  CHECK(i->what.find("0356") == std::string::npos);
}

TEST_CASE("registry: employment spellings map to employed, unemployed or unknown") {
  std::vector<std::vector<std::string>> rows;
  const char* values[] = {"已就业", "就业", "务工", "灵活就业", "未就业", "失业", "", "退休"};
  for (int k = 0; k < 8; ++k)
    rows.push_back({"", "陈" + std::to_string(k), make_id("140521", 1980, 1, k + 1, 11), "", "", "",
                    "", values[k]});
  auto f = registry(rows);
  REQUIRE(f.people.size() == 8);
  for (int k = 0; k < 4; ++k) CHECK(f.people[static_cast<size_t>(k)].employment == "employed");
  CHECK(f.people[4].employment == "unemployed");
  CHECK(f.people[5].employment == "unemployed");
  CHECK(f.people[6].employment.empty());
  CHECK(f.people[7].employment.empty());
  const RowIssue* i = issue_at(f, 9, "registry.employment_unknown");
  REQUIRE(i);
  CHECK_FALSE(i->fatal);
  CHECK(f.issues.size() == 1);
}

TEST_CASE("registry: key groups split on 、,，;；/ and spaces and must be among the ten") {
  auto f = registry({
      {"1", "褚八", kMan, "", "", "", "", "", "退役军人、就业困难人员"},
      {"2", "卫九", kWoman, "", "", "", "", "", "两后生，贫困家庭子女; 下岗失业人员/转岗转业职工"},
      {"3", "蒋十", make_id("140521", 1970, 5, 5, 15), "", "", "", "", "", "脱贫劳动力 退役军人"},
      {"4", "沈十一", make_id("140521", 1971, 5, 5, 15), "", "", "", "", "", "退役军人、低保户"},
  });
  REQUIRE(f.people.size() == 3);
  CHECK(f.people[0].groups == std::vector<std::string>{"退役军人", "就业困难人员"});
  CHECK(f.people[1].groups ==
        std::vector<std::string>{"两后生", "贫困家庭子女", "下岗失业人员", "转岗转业职工"});
  CHECK(f.people[2].groups == std::vector<std::string>{"贫困劳动力", "退役军人"});
  const RowIssue* i = issue_at(f, 5, "registry.unknown_group");
  REQUIRE(i);
  CHECK(i->fatal);
  CHECK(i->what == "重点群体「低保户」不在十类重点群体之中");
}

TEST_CASE("registry: the same ID twice keeps the first and refuses the second") {
  auto f = registry({{"1", "韩一", kMan}, {"2", "杨二", kWoman}, {"3", "韩一", kMan}});
  REQUIRE(f.people.size() == 2);
  const RowIssue* i = issue_at(f, 4, "registry.duplicate_id");
  REQUIRE(i);
  CHECK(i->what == "与第 2 行身份证号重复");
}

TEST_CASE("registry: a name, township or village over 200 characters refuses the row") {
  std::string long_name;
  for (int k = 0; k < 201; ++k) long_name += "龘";
  auto f = registry({{"1", long_name, kMan}, {"2", "朱三", kWoman, "", long_name}});
  CHECK(f.people.empty());
  CHECK(issue_at(f, 2, "registry.too_long")->column == "姓名");
  CHECK(issue_at(f, 3, "registry.too_long")->column == "乡镇");
  CHECK(issue_at(f, 3, "registry.too_long")->what.find("字段过长") == 0);
}

TEST_CASE("registry: an empty name or ID refuses the row; empty rows are not counted") {
  auto f = registry({{}, {"1", "", kMan}, {"", "", "", "", ""}, {"3", "秦四", ""}});
  CHECK(f.people.empty());
  CHECK(f.data_rows == 2);
  CHECK(issue_at(f, 3, "registry.name_empty"));
  CHECK(issue_at(f, 5, "registry.id_empty"));
}

TEST_CASE("registry: issues_csv has a BOM, one line per issue, and no personal data") {
  auto f = registry({{"1", "许五", bad_check(kMan), "男", "", "", "12345"},
                     {"2", "何六", kWoman, "", "", "", "12345"}});
  std::string csv = issues_csv(f);
  CHECK(csv.rfind("\xEF\xBB\xBF行号,列,问题,处理\r\n", 0) == 0);
  CHECK(csv.find("\r\n2,身份证号,") != std::string::npos);
  CHECK(csv.find("未导入") != std::string::npos);
  CHECK(csv.find("\r\n3,联系电话,") != std::string::npos);
  CHECK(csv.find("已导入") != std::string::npos);
  for (const std::string& secret : {bad_check(kMan), kWoman, kMan.substr(0, 10),
                                    std::string("许五"), std::string("何六"), std::string("12345")})
    CHECK_MESSAGE(csv.find(secret) == std::string::npos, "issue CSV holds personal data");
}
