// Held certificates: kind and level spellings, date forms (an Excel serial
// too), duplicate numbers, and an XLSX with a real date cell.
#include <xlsxwriter.h>

#include <doctest/doctest.h>

#include "common/testing/temp_dir.h"
#include "sync/server/registry_file.h"
#include "sync/server/testing/registry_fixtures.h"

using namespace chz;
using namespace chz::server;
using chz::server::testing::make_id;

namespace {

const std::vector<std::string> kHeader = {"姓名",     "身份证号", "证书类型", "职业（工种）",
                                          "技能等级", "证书编号", "发证日期", "发证机构"};

Table table(const std::vector<std::vector<Cell>>& rows) {
  Table t;
  TableRow h{1, {}};
  for (const auto& c : kHeader) h.cells.push_back(Cell{c, false});
  t.rows.push_back(h);
  int n = 1;
  for (const auto& r : rows) t.rows.push_back(TableRow{++n, r});
  return t;
}

Cell txt(const std::string& s) {
  return Cell{s, false};
}
Cell num(const std::string& s) {
  return Cell{s, true};
}

std::string id(int k) {
  return make_id("140521", 1980, 1, 1 + k % 28, 100 + k);
}

// One certificate row with the given kind, level, number and date.
std::vector<Cell> row(int k, const std::string& kind, const std::string& level,
                      const std::string& number, Cell date = txt("2021-03-05")) {
  return {txt("张𠮷"), txt(id(k)),  txt(kind),       txt("焊工"),
          txt(level),  txt(number), std::move(date), txt("山西省职业技能鉴定指导中心")};
}

CertificateFile read(const std::vector<std::vector<Cell>>& rows) {
  auto r = read_held_certificates(table(rows));
  REQUIRE(r.ok());
  return *r;
}

}  // namespace

TEST_CASE("held certificates: each kind and level spelling maps to 等级 5..1 or 专项 0") {
  struct Case {
    const char* kind;
    const char* level;
    const char* want_kind;
    int want_level;
  } cases[] = {
      {"职业技能等级证书", "五级/初级工", "等级", 5},
      {"等级", "初级工", "等级", 5},
      {"职业资格证书", "四级", "等级", 4},
      {"职业技能等级证书", "中级工", "等级", 4},
      {"等级", "三级（高级工）", "等级", 3},
      {"等级", "高级工", "等级", 3},
      {"等级", "二级/技师", "等级", 2},
      {"等级", "技师", "等级", 2},
      {"等级", "一级/高级技师", "等级", 1},
      {"等级", "高级技师", "等级", 1},
      {"专项职业能力证书", "", "专项", 0},
      {"专项", "", "专项", 0},
      {"", "三级", "等级", 3},
  };
  std::vector<std::vector<Cell>> rows;
  int k = 0;
  for (const auto& c : cases) rows.push_back(row(k, c.kind, c.level, "S" + std::to_string(k))), ++k;
  auto f = read(rows);
  CHECK(f.issues.empty());
  REQUIRE(f.certificates.size() == std::size(cases));
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    CAPTURE(cases[i].kind);
    CAPTURE(cases[i].level);
    CHECK(f.certificates[i].kind == cases[i].want_kind);
    CHECK(f.certificates[i].level == cases[i].want_level);
  }
  CHECK(f.certificates[0].occupation == "焊工");
  CHECK(f.certificates[0].issuer == "山西省职业技能鉴定指导中心");
  CHECK(f.certificates[0].id_number == id(0));
}

TEST_CASE(
    "held certificates: an unknown kind, or a 等级 certificate without a known level, "
    "is refused") {
  auto f = read({row(0, "毕业证书", "", "A1"), row(1, "等级", "", "A2"),
                 row(2, "等级", "三级/技师", "A3"), row(3, "等级", "特级", "A4")});
  CHECK(f.certificates.empty());
  REQUIRE(f.issues.size() == 4);
  CHECK(f.issues[0].key == "registry.certificate_kind");
  CHECK(f.issues[0].column == "证书类型");
  for (std::size_t i = 1; i < 4; ++i) CHECK(f.issues[i].key == "registry.level");
}

TEST_CASE("held certificates: dates in dashes, slashes, 年月日 and an Excel serial") {
  auto f = read({row(0, "等级", "五级", "D0", txt("2021-03-05")),
                 row(1, "等级", "五级", "D1", txt("2021/3/5")),
                 row(2, "等级", "五级", "D2", txt("2021年3月5日")),
                 row(3, "等级", "五级", "D3", num("44260")),
                 row(4, "等级", "五级", "D4", num("44260.5")),
                 row(5, "等级", "五级", "D5", txt("2021.03.05 00:00:00")),
                 row(6, "等级", "五级", "D6", txt(""))});
  CHECK(f.issues.empty());
  REQUIRE(f.certificates.size() == 7);
  for (std::size_t i = 0; i < 6; ++i) CHECK(f.certificates[i].date == "2021-03-05");
  CHECK(f.certificates[6].date.empty());
}

TEST_CASE("held certificates: a date that is not a real date refuses the row") {
  auto f =
      read({row(0, "等级", "五级", "E0", txt("2021-02-30")),
            row(1, "等级", "五级", "E1", txt("下个月")), row(2, "等级", "五级", "E2", num("12"))});
  CHECK(f.certificates.empty());
  REQUIRE(f.issues.size() == 3);
  for (const auto& i : f.issues) CHECK(i.key == "registry.date");
}

TEST_CASE("held certificates: the same certificate number twice refuses the later row") {
  auto f = read({row(0, "等级", "五级", "X1"), row(1, "专项", "", "X1")});
  REQUIRE(f.certificates.size() == 1);
  REQUIRE(f.issues.size() == 1);
  CHECK(f.issues[0].row == 3);
  CHECK(f.issues[0].what == "与第 2 行证书编号重复");
  CHECK(f.issues[0].fatal);
}

TEST_CASE("held certificates: a bad ID number refuses the row without quoting it") {
  std::string bad = id(0);
  bad[17] = bad[17] == '0' ? '1' : '0';
  std::vector<Cell> r = row(0, "等级", "五级", "B1");
  r[1] = txt(bad);
  auto f = read({r});
  CHECK(f.certificates.empty());
  REQUIRE(f.issues.size() == 1);
  CHECK(f.issues[0].key == "id.check_digit");
  CHECK(issues_csv(f.issues).find(bad) == std::string::npos);
}

TEST_CASE("held certificates: an XLSX with a date cell and the certificate number column") {
  chz::testing::TempDir dir;
  auto path = (dir / "certs.xlsx").string();
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
  lxw_format* date_format = workbook_add_format(wb);
  format_set_num_format(date_format, "yyyy-mm-dd");
  worksheet_write_string(ws, 0, 0, "已取得证书人员名单", nullptr);
  for (lxw_col_t c = 0; c < kHeader.size(); ++c)
    worksheet_write_string(ws, 1, c, kHeader[c].c_str(), nullptr);
  worksheet_write_string(ws, 2, 0, "王䶮", nullptr);
  worksheet_write_string(ws, 2, 1, id(1).c_str(), nullptr);
  worksheet_write_string(ws, 2, 2, "专项职业能力证书", nullptr);
  worksheet_write_string(ws, 2, 3, "中式面点制作", nullptr);
  worksheet_write_string(ws, 2, 5, "Z1405000123", nullptr);
  lxw_datetime when = {2023, 11, 20, 0, 0, 0};
  worksheet_write_datetime(ws, 2, 6, &when, date_format);
  REQUIRE(workbook_close(wb) == LXW_NO_ERROR);

  auto r = read_held_certificates(path);
  REQUIRE(r.ok());
  CHECK(r->header_row == 2);
  REQUIRE(r->certificates.size() == 1);
  const auto& c = r->certificates[0];
  CHECK(c.name == "王䶮");
  CHECK(c.kind == "专项");
  CHECK(c.level == 0);
  CHECK(c.occupation == "中式面点制作");
  CHECK(c.number == "Z1405000123");
  CHECK(c.date == "2023-11-20");
  CHECK(c.issuer.empty());
}

TEST_CASE("held certificates: no 证书编号 column is refused as no header") {
  Table t;
  t.rows.push_back(TableRow{1, {txt("姓名"), txt("身份证号"), txt("证书类型")}});
  auto r = read_held_certificates(t);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().key() == "registry.no_header");
  CHECK(r.status().message().find("证书编号") != std::string::npos);
}
