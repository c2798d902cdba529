// Registry files as other programs write them: CSV in UTF-8 (BOM or not),
// GB18030 and TSV; XLSX from openpyxl and libxlsxwriter; XLS from xlwt;
// hostile and broken files. Files are real, in a temp folder.
#include <xlsxwriter.h>

#include <doctest/doctest.h>

#include <random>

#include "common/testing/temp_dir.h"
#include "content/archive.h"
#include "content/text_util.h"
#include "sync/server/registry_file.h"
#include "sync/server/table_file.h"
#include "sync/server/testing/registry_fixtures.h"

using namespace chz;
using namespace chz::server;
using chz::server::testing::bad_check;
using chz::server::testing::make_id;
using chz::server::testing::python_has;
using chz::server::testing::read_file;
using chz::server::testing::run_python;
using chz::server::testing::write_file;

namespace {

const std::string kMan = make_id("140521", 1985, 3, 7, 131);
const std::string kWoman = make_id("140521", 1990, 11, 2, 242);

std::string csv_registry(const std::string& sep = ",") {
  return "姓名" + sep + "身份证号" + sep + "性别" + sep + "重点群体\n" + "张𠮷" + sep + kMan + sep +
         "男" + sep + "退役军人\n" + "李龘" + sep + kWoman + sep + "女" + sep + "两后生\n";
}

void check_two_people(const Result<RegistryFile>& r) {
  REQUIRE(r.ok());
  REQUIRE(r->people.size() == 2);
  CHECK(r->people[0].name == "张𠮷");
  CHECK(r->people[0].groups == std::vector<std::string>{"退役军人"});
  CHECK(r->people[1].name == "李龘");
  CHECK(r->people[1].id_number == kWoman);
  CHECK(r->issues.empty());
}

// A workbook by libxlsxwriter: constant_memory mode writes inline strings,
// the default mode shared strings.
void write_xlsx(const std::string& path, bool inline_strings, int rows) {
  lxw_workbook_options opt{};
  opt.constant_memory = inline_strings ? LXW_TRUE : LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &opt);
  REQUIRE(wb);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "花名册");
  worksheet_write_string(ws, 0, 0, "姓名", nullptr);
  worksheet_write_string(ws, 0, 1, "身份证号", nullptr);
  worksheet_write_string(ws, 0, 2, "年龄", nullptr);
  for (int k = 0; k < rows; ++k) {
    auto r = static_cast<lxw_row_t>(k + 1);
    std::string id = make_id(std::to_string(140001 + k / 1000).c_str(), 1980, 1, 1, k % 1000);
    worksheet_write_string(ws, r, 0, k % 2 ? "王䶮" : "张𠮷", nullptr);
    worksheet_write_string(ws, r, 1, id.c_str(), nullptr);
    worksheet_write_number(ws, r, 2, 45, nullptr);
  }
  REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
}

std::string sheet_xml(const std::string& xlsx_path) {
  auto entries = content::read_archive(read_file(xlsx_path), content::ArchiveKind::kZip);
  REQUIRE(entries.ok());
  for (const auto& e : *entries)
    if (e.path == "xl/worksheets/sheet1.xml") return e.data;
  return "";
}

}  // namespace

TEST_CASE("registry: a UTF-8 CSV reads the same with and without a BOM") {
  chz::testing::TempDir dir;
  write_file(dir / "plain.csv", csv_registry());
  write_file(dir / "bom.csv", "\xEF\xBB\xBF" + csv_registry());
  check_two_people(read_registry((dir / "plain.csv").string(), 2025));
  check_two_people(read_registry((dir / "bom.csv").string(), 2025));
}

TEST_CASE("registry: a GB18030 CSV, with a character needing 4 bytes, reads as UTF-8") {
  chz::testing::TempDir dir;
  std::string gb = content::utf8_to_gb18030_or_empty(csv_registry());
  REQUIRE_FALSE(gb.empty());
  CHECK(content::utf8_to_gb18030_or_empty("𠮷").size() == 4);
  CHECK_FALSE(is_valid_utf8(gb));
  write_file(dir / "gb.csv", gb);
  check_two_people(read_registry((dir / "gb.csv").string(), 2025));
}

TEST_CASE("registry: a CSV neither UTF-8 nor GB18030 is refused with registry.encoding") {
  chz::testing::TempDir dir;
  write_file(dir / "bad.csv", "姓名,身份证号\n\xFF\xFE\xFF,1\n");
  auto r = read_table_file((dir / "bad.csv").string());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().key() == "registry.encoding");
}

TEST_CASE("registry: a tab-separated file is read by its tabs") {
  chz::testing::TempDir dir;
  write_file(dir / "r.csv", csv_registry("\t"));
  check_two_people(read_registry((dir / "r.csv").string(), 2025));
}

TEST_CASE("registry: CSV quotes hold commas, doubled quotes and newlines; CRLF ends rows") {
  chz::testing::TempDir dir;
  write_file(dir / "q.csv",
             "a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n\r\nlast,,\r\n");
  auto t = read_table_file((dir / "q.csv").string());
  REQUIRE(t.ok());
  REQUIRE(t->rows.size() == 3);
  CHECK(t->format == Table::Format::kCsv);
  CHECK(t->rows[1].cells[0].text == "x,1");
  CHECK(t->rows[1].cells[1].text == "say \"hi\"");
  CHECK(t->rows[1].cells[2].text == "two\r\nlines");
  CHECK_FALSE(t->rows[1].cells[0].numeric);
  CHECK(t->rows[2].row == 4);  // the empty record 3 is left out, numbering kept
  CHECK(t->rows[2].cells.size() == 3);
}

TEST_CASE("registry: an unclosed CSV quote is refused as corrupt") {
  chz::testing::TempDir dir;
  write_file(dir / "q.csv", "姓名,身份证号\n\"张三,1\n");
  auto r = read_table_file((dir / "q.csv").string());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().key() == "registry.corrupt");
}

TEST_CASE("registry: an XLSX written by openpyxl: title, gaps, numbers and every row rule") {
  if (!python_has("openpyxl")) {
    MESSAGE("SKIP: /usr/bin/python3 has no openpyxl (apt-get install python3-openpyxl)");
    return;
  }
  chz::testing::TempDir dir;
  std::string script = R"(# -*- coding: utf-8 -*-
import openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "花名册"
ws["A1"] = "沁水县劳动力建档立卡花名册"
ws.merge_cells("A1:J1")
for col, name in {1: "序号", 2: "姓名", 3: "身份证号码", 4: "性别", 6: "乡镇", 8: "联系电话", 10: "重点群体"}.items():
    ws.cell(row=3, column=col, value=name)
def put(row, values):
    for col, v in values.items():
        ws.cell(row=row, column=col, value=v)
put(4, {1: 1, 2: "张𠮷", 3: "MAN", 4: "男", 6: "郑庄镇", 8: "13800005678", 10: "退役军人、就业困难人员"})
put(6, {1: 2, 2: "李龘", 3: int("WOMAN"[:17] + "0"), 4: "女"})
put(7, {1: 3, 2: "王䶮", 3: "OLD15", 8: 13900001111})
put(8, {1: 4, 2: "赵四", 3: "BADCHECK"})
put(9, {1: 5, 2: "张𠮷", 3: "MAN"})
put(10, {1: 6, 2: "钱五", 3: "OTHER", 10: "退役军人、低保户"})
put(11, {2: "孙六", 3: "LAST"})
wb.save("r.xlsx")
)";
  auto replace = [&](const std::string& from, const std::string& to) {
    for (auto at = script.find(from); at != std::string::npos; at = script.find(from))
      script.replace(at, from.size(), to);
  };
  replace("WOMAN", kWoman);
  replace("OLD15", "140521850307133");  // 15 digits
  replace("BADCHECK", bad_check(make_id("140521", 1960, 6, 6, 66)));
  replace("OTHER", make_id("140521", 1961, 6, 6, 66));
  replace("LAST", make_id("140521", 1962, 6, 6, 66));
  replace("MAN", kMan);
  REQUIRE(run_python(dir.path(), script));

  auto t = read_table_file((dir / "r.xlsx").string());
  REQUIRE(t.ok());
  CHECK(t->format == Table::Format::kXlsx);
  CHECK(t->rows[0].row == 1);
  CHECK(t->rows[0].cells[0].text == "沁水县劳动力建档立卡花名册");
  CHECK(t->rows[1].row == 3);
  CHECK(t->rows[1].cells[9].text == "重点群体");  // column J, true position
  CHECK(t->rows[2].cells[0].numeric);
  CHECK(t->rows[2].cells[0].text == "1");

  auto r = read_registry((dir / "r.xlsx").string(), 2025);
  REQUIRE(r.ok());
  CHECK(r->header_row == 3);
  CHECK(r->data_rows == 7);
  REQUIRE(r->people.size() == 3);
  CHECK(r->people[0].row == 4);
  CHECK(r->people[0].name == "张𠮷");
  CHECK(r->people[0].township == "郑庄镇");
  CHECK(r->people[0].groups == std::vector<std::string>{"退役军人", "就业困难人员"});
  CHECK(r->people[1].row == 7);
  CHECK(r->people[1].id_number.size() == 18);
  CHECK(r->people[1].id_number.substr(6, 4) == "1985");
  CHECK(r->people[1].phone == "13900001111");  // a phone stored as a number is fine
  CHECK(r->people[2].row == 11);
  auto has = [&](int row, const std::string& key) {
    for (const auto& i : r->issues)
      if (i.row == row && i.key == key && i.fatal) return true;
    return false;
  };
  CHECK(has(6, "registry.id_as_number"));
  CHECK(has(8, "id.check_digit"));
  CHECK(has(9, "registry.duplicate_id"));
  CHECK(has(10, "registry.unknown_group"));
  CHECK(r->issues.size() == 4);
}

TEST_CASE("registry: XLSX shared strings and inline strings read the same") {
  chz::testing::TempDir dir;
  write_xlsx((dir / "shared.xlsx").string(), false, 3);
  write_xlsx((dir / "inline.xlsx").string(), true, 3);
  CHECK(sheet_xml((dir / "shared.xlsx").string()).find("t=\"s\"") != std::string::npos);
  CHECK(sheet_xml((dir / "inline.xlsx").string()).find("inlineStr") != std::string::npos);
  auto a = read_table_file((dir / "shared.xlsx").string());
  auto b = read_table_file((dir / "inline.xlsx").string());
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(a->rows.size() == 4);
  REQUIRE(b->rows.size() == 4);
  for (std::size_t r = 0; r < 4; ++r)
    for (std::size_t c = 0; c < 3; ++c) {
      CHECK(a->rows[r].cells[c].text == b->rows[r].cells[c].text);
      CHECK(a->rows[r].cells[c].numeric == b->rows[r].cells[c].numeric);
    }
  CHECK(a->rows[1].cells[0].text == "张𠮷");
  CHECK(a->rows[2].cells[0].text == "王䶮");
  CHECK(a->rows[1].cells[2].text == "45");
  CHECK(a->rows[1].cells[2].numeric);
  CHECK_FALSE(a->rows[1].cells[1].numeric);
}

TEST_CASE("registry: an XLS written by xlwt is read through libfreexl") {
  if (!python_has("xlwt")) {
    MESSAGE("SKIP: /usr/bin/python3 has no xlwt (apt-get install python3-xlwt)");
    return;
  }
  chz::testing::TempDir dir;
  std::string script = R"(# -*- coding: utf-8 -*-
import xlwt
wb = xlwt.Workbook(encoding="utf-8")
ws = wb.add_sheet("花名册")
ws.write(0, 0, "沁水县劳动力建档立卡花名册")
for c, h in enumerate(["姓名", "身份证号", "性别", "手机号"]):
    ws.write(1, c, h)
ws.write(2, 0, "龘龘"); ws.write(2, 1, "MAN"); ws.write(2, 2, "男"); ws.write(2, 3, 13800005678)
ws.write(4, 0, "王䶮"); ws.write(4, 1, 140521199011022420.0); ws.write(4, 2, "女")
wb.save("r.xls")
)";
  script.replace(script.find("MAN"), 3, kMan);
  REQUIRE(run_python(dir.path(), script));
  auto t = read_table_file((dir / "r.xls").string());
  REQUIRE(t.ok());
  CHECK(t->format == Table::Format::kXls);
  auto r = read_registry((dir / "r.xls").string(), 2025);
  REQUIRE(r.ok());
  CHECK(r->header_row == 2);
  REQUIRE(r->people.size() == 1);
  CHECK(r->people[0].name == "龘龘");
  CHECK(r->people[0].id_number == kMan);
  CHECK(r->people[0].phone == "13800005678");
  REQUIRE(r->issues.size() == 1);
  CHECK(r->issues[0].row == 5);
  CHECK(r->issues[0].key == "registry.id_as_number");
}

TEST_CASE("registry: a corrupt OLE2 (XLS) file is refused as corrupt, not a crash") {
  chz::testing::TempDir dir;
  std::string bytes = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
  std::mt19937 rng(7);
  for (int k = 0; k < 4096; ++k) bytes.push_back(static_cast<char>(rng()));
  write_file(dir / "bad.xls", bytes);
  auto r = read_table_file((dir / "bad.xls").string());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().key() == "registry.corrupt");
}

TEST_CASE("registry: an XLSX part inflating beyond the limit is refused as too large") {
  chz::testing::TempDir dir;
  write_xlsx((dir / "big.xlsx").string(), false, 20000);
  TableLimits lim;
  lim.max_part_bytes = 256 << 10;
  auto r = read_table_file((dir / "big.xlsx").string(), lim);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kTooLarge);
  CHECK(r.status().key() == "registry.too_large");
  CHECK(read_table_file((dir / "big.xlsx").string()).ok());
}

TEST_CASE("registry: an XLSX whose sheet declares a huge size is refused before inflating") {
  chz::testing::TempDir dir;
  write_xlsx((dir / "ok.xlsx").string(), false, 10);
  std::string zip = read_file(dir / "ok.xlsx");
  // The sheet's size fields: uncompressed size at +24 in its central
  // directory entry (name at +46) and at +22 in its local header (name at +30).
  const std::string name = "xl/worksheets/sheet1.xml";
  int patched = 0;
  auto patch = [&](const char* magic, std::size_t size_at, std::size_t name_at) {
    for (auto at = zip.find(magic); at != std::string::npos; at = zip.find(magic, at + 4))
      if (zip.compare(at + name_at, name.size(), name) == 0) {
        zip.replace(at + size_at, 4, "\xFF\xFF\xFF\x7F");
        ++patched;
      }
  };
  patch("PK\x01\x02", 24, 46);
  patch("PK\x03\x04", 22, 30);
  REQUIRE(patched == 2);
  write_file(dir / "huge.xlsx", zip);
  auto r = read_table_file((dir / "huge.xlsx").string());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().key() == "registry.too_large");
}

TEST_CASE("registry: a file, or a row count, over the limits is refused as too large") {
  chz::testing::TempDir dir;
  std::string csv = "姓名,身份证号\n";
  for (int k = 0; k < 2000; ++k) csv += "张三," + kMan + "\n";
  write_file(dir / "r.csv", csv);
  TableLimits small_file;
  small_file.max_file_bytes = 1024;
  CHECK(read_table_file((dir / "r.csv").string(), small_file).status().key() ==
        "registry.too_large");
  TableLimits few_rows;
  few_rows.max_rows = 1000;
  CHECK(read_table_file((dir / "r.csv").string(), few_rows).status().key() == "registry.too_large");
}

TEST_CASE("registry: a corrupt or truncated zip is refused as corrupt, not a crash") {
  chz::testing::TempDir dir;
  std::mt19937 rng(11);
  std::string junk = "PK\x03\x04";
  for (int k = 0; k < 4096; ++k) junk.push_back(static_cast<char>(rng()));
  write_file(dir / "junk.xlsx", junk);
  auto a = read_table_file((dir / "junk.xlsx").string());
  REQUIRE_FALSE(a.ok());
  CHECK(a.status().key() == "registry.corrupt");

  write_xlsx((dir / "ok.xlsx").string(), false, 200);
  std::string whole = read_file(dir / "ok.xlsx");
  write_file(dir / "cut.xlsx", whole.substr(0, whole.size() / 2));
  auto b = read_table_file((dir / "cut.xlsx").string());
  REQUIRE_FALSE(b.ok());
  CHECK(b.status().key() == "registry.corrupt");
}

TEST_CASE("registry: a random binary file is refused with registry.format") {
  chz::testing::TempDir dir;
  std::mt19937 rng(3);
  std::string bytes;
  for (int k = 0; k < 4096; ++k) bytes.push_back(static_cast<char>(rng()));
  write_file(dir / "r.csv", bytes);
  auto r = read_registry((dir / "r.csv").string(), 2025);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().key() == "registry.format");
  CHECK(read_table_file((dir / "missing.csv").string()).status().code() == Code::kNotFound);
}

TEST_CASE("registry: 100,000 rows of CSV and of XLSX are read completely") {
  chz::testing::TempDir dir;
  const int n = 100000;
  std::string csv = "姓名,身份证号\n";
  for (int k = 0; k < n; ++k)
    csv +=
        "张𠮷," + make_id(std::to_string(140001 + k / 1000).c_str(), 1980, 1, 1, k % 1000) + "\n";
  write_file(dir / "big.csv", csv);
  auto c = read_registry((dir / "big.csv").string(), 2025);
  REQUIRE(c.ok());
  CHECK(c->data_rows == n);
  CHECK(c->people.size() == static_cast<std::size_t>(n));
  CHECK(c->people.back().row == n + 1);

  write_xlsx((dir / "big.xlsx").string(), true, n);
  auto x = read_registry((dir / "big.xlsx").string(), 2025);
  REQUIRE(x.ok());
  CHECK(x->data_rows == n);
  CHECK(x->people.size() == static_cast<std::size_t>(n));
  CHECK(x->issues.empty());
}
