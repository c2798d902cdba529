// The report writers: the XLSX read back from its XML (libarchive through
// content/archive.h, pugixml) and, when python3-openpyxl is there, through
// openpyxl; the CSV and JSON by their bytes. Fictional data throughout.
#include "sync/server/report_table.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "common/fs.h"
#include "common/testing/temp_dir.h"
#include "content/archive.h"

using namespace chz;
using namespace chz::server;
namespace fs = std::filesystem;
using Type = ReportColumn::Type;

namespace {

const std::string kId = "140521199001011234";
const std::string kFormula = "=HYPERLINK(\"http://example.invalid\",\"点此领取补贴\")";

// A subsidy-roster-like statistics table: columns of every type, rare
// characters in names, an ID number, a leading-zero certificate number and
// a formula-looking text.
ReportTable sample_table() {
  ReportTable t;
  t.title = "职业技能培训补贴人员花名册";
  t.unit_name = "沁水县人力资源和社会保障局";
  t.period = "2026-01-01 至 2026-03-31";
  t.filled_on = "填报日期：2026-04-02";  // already labelled: not labelled twice
  t.units = "人、学时";
  t.columns = {{"姓名", Type::kText},         {"公民身份号码", Type::kText},
               {"证书编号", Type::kText},     {"培训人次", Type::kInt},
               {"培训学时", Type::kDecimal1}, {"考核合格率", Type::kPercent1}};
  t.rows = {
      {std::string("张𠮷"), kId, std::string("0012"), std::int64_t{123}, 48.5, 0.923},
      {std::string("龘龙"), std::string("14052119850505002X"), kFormula, std::int64_t{7}, 16.0,
       1.0},
      {std::string("李䶮"), std::string("140521197712120011"), std::monostate{}, std::int64_t{-3},
       0.25, 0.5},
  };
  t.total = {
      std::string("合计"), std::monostate{}, std::monostate{}, std::int64_t{127}, 64.75, 0.8};
  t.notes = {"注：一人属多个重点群体时各计一次，合计按人数去重。", "注：数据为虚构示例。"};
  t.sheet_name = "花名册";
  return t;
}

// The unpacked workbook: sheet XML, shared strings and styles.
struct Xlsx {
  std::map<std::string, std::string> files;
  pugi::xml_document sheet, styles, workbook;
  std::vector<std::string> strings;

  explicit Xlsx(const fs::path& path) {
    auto entries = content::read_archive_file(path, content::ArchiveKind::kZip);
    REQUIRE_MESSAGE(entries.ok(), entries.status().to_string());
    for (auto& e : *entries) files[e.path] = e.data;
    REQUIRE(files.count("xl/worksheets/sheet1.xml"));
    REQUIRE(sheet.load_string(files["xl/worksheets/sheet1.xml"].c_str()));
    REQUIRE(styles.load_string(files["xl/styles.xml"].c_str()));
    REQUIRE(workbook.load_string(files["xl/workbook.xml"].c_str()));
    pugi::xml_document sst;
    if (files.count("xl/sharedStrings.xml")) {
      REQUIRE(sst.load_string(files["xl/sharedStrings.xml"].c_str()));
      for (auto si : sst.child("sst").children("si")) strings.push_back(si.child("t").text().get());
    }
  }
  pugi::xml_node cell(const std::string& ref) const {
    return sheet.child("worksheet").child("sheetData").find_node([&](const pugi::xml_node& n) {
      return std::string_view(n.name()) == "c" && ref == n.attribute("r").value();
    });
  }
  // The text of a string cell (shared or inline); "" for anything else.
  std::string text(const std::string& ref) const {
    auto c = cell(ref);
    std::string_view t = c.attribute("t").value();
    if (t == "s") return strings.at(c.child("v").text().as_uint());
    if (t == "inlineStr") return c.child("is").child("t").text().get();
    return {};
  }
  bool has_text(const std::string& s) const {
    return std::find(strings.begin(), strings.end(), s) != strings.end();
  }
  std::string num_format(const std::string& ref) const {
    unsigned xf = cell(ref).attribute("s").as_uint();
    auto xfs = styles.child("styleSheet").child("cellXfs").children("xf");
    auto it = xfs.begin();
    std::advance(it, xf);
    unsigned id = it->attribute("numFmtId").as_uint();
    for (auto f : styles.child("styleSheet").child("numFmts").children("numFmt"))
      if (f.attribute("numFmtId").as_uint() == id) return f.attribute("formatCode").value();
    return "builtin " + std::to_string(id);
  }
  bool bold(const std::string& ref) const {
    unsigned xf = cell(ref).attribute("s").as_uint();
    auto xfs = styles.child("styleSheet").child("cellXfs").children("xf");
    auto it = xfs.begin();
    std::advance(it, xf);
    auto fonts = styles.child("styleSheet").child("fonts").children("font");
    auto f = fonts.begin();
    std::advance(f, it->attribute("fontId").as_uint());
    return bool(f->child("b"));
  }
};

std::vector<std::string> dir_entries(const fs::path& d) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(d)) out.push_back(e.path().filename().string());
  return out;
}

}  // namespace

TEST_CASE("report xlsx: title merged in A1, header frozen, numbers as numbers, text as text") {
  testing::TempDir dir("chz-report");
  auto path = (dir / "roster.xlsx").string();
  REQUIRE(write_report_xlsx(sample_table(), path).ok());
  CHECK(dir_entries(dir.path()) == std::vector<std::string>{"roster.xlsx"});
  Xlsx x(path);

  CHECK(x.text("A1") == "职业技能培训补贴人员花名册");
  auto merges = x.sheet.child("worksheet").child("mergeCells");
  CHECK(merges.find_child_by_attribute("mergeCell", "ref", "A1:G1"));
  CHECK(x.text("A2") == "填报单位：沁水县人力资源和社会保障局");
  CHECK(x.text("D2") == "填报日期：2026-04-02");
  CHECK(x.text("A3") == "统计时段：2026-01-01 至 2026-03-31");
  CHECK(x.text("D3") == "单位：人、学时");

  auto pane = x.sheet.child("worksheet").child("sheetViews").child("sheetView").child("pane");
  CHECK(std::string(pane.attribute("ySplit").value()) == "4");
  CHECK(std::string(pane.attribute("state").value()) == "frozen");
  CHECK(x.text("A4") == "序号");
  CHECK(x.text("C4") == "公民身份号码");

  // Row 5 is the first data row: 序号 1, then the cells.
  CHECK(x.cell("A5").child("v").text().as_int() == 1);
  CHECK(x.text("B5") == "张𠮷");
  CHECK(x.text("B6") == "龘龙");
  CHECK(x.text("B7") == "李䶮");
  auto n = x.cell("E5");
  CHECK_FALSE(n.attribute("t"));
  CHECK(std::string(n.child("v").text().get()) == "123");
  CHECK(x.num_format("E5") == "0");
  CHECK(x.num_format("F5") == "0.0");
  CHECK(x.num_format("G5") == "0.0%");
  CHECK(x.cell("G5").child("v").text().as_double() == doctest::Approx(0.923));
  CHECK(std::string(x.cell("C5").attribute("t").value()) == "s");
  CHECK(x.text("C5") == kId);
  CHECK(x.text("D5") == "0012");
  CHECK(x.cell("E7").child("v").text().as_int() == -3);

  // The 合计 row: bold, no 序号.
  CHECK(x.text("B8") == "合计");
  CHECK(x.bold("B8"));
  CHECK(x.bold("E8"));
  CHECK_FALSE(x.bold("E5"));
  CHECK_FALSE(x.cell("A8").child("v"));
  CHECK(x.cell("E8").child("v").text().as_int() == 127);

  CHECK(x.text("A9") == "注：一人属多个重点群体时各计一次，合计按人数去重。");
  CHECK(x.text("A10") == "注：数据为虚构示例。");
  CHECK(x.text("A12") == "负责人：");
  CHECK(x.text("D12") == "填表人：");
  CHECK(x.text("F12") == "联系电话：");
  CHECK(merges.find_child_by_attribute("mergeCell", "ref", "A12:C12"));
}

TEST_CASE("report xlsx: formula-looking text stays a string, no formula anywhere") {
  testing::TempDir dir("chz-report");
  auto path = (dir / "r.xlsx").string();
  REQUIRE(write_report_xlsx(sample_table(), path).ok());
  Xlsx x(path);
  CHECK(x.text("D6") == kFormula);
  CHECK(std::string(x.cell("D6").attribute("t").value()) == "s");
  CHECK(x.files["xl/worksheets/sheet1.xml"].find("<f>") == std::string::npos);
  CHECK(x.files["xl/worksheets/sheet1.xml"].find("<f ") == std::string::npos);
}

TEST_CASE("report xlsx: A4, fit to one page wide, the header repeats; landscape past 8 columns") {
  testing::TempDir dir("chz-report");
  auto narrow = (dir / "narrow.xlsx").string();
  REQUIRE(write_report_xlsx(sample_table(), narrow).ok());  // 7 sheet columns
  Xlsx x(narrow);
  auto setup = x.sheet.child("worksheet").child("pageSetup");
  CHECK(std::string(setup.attribute("paperSize").value()) == "9");
  CHECK(std::string(setup.attribute("fitToHeight").value()) == "0");
  CHECK(std::string(setup.attribute("orientation").value()) != "landscape");
  CHECK(x.sheet.child("worksheet").child("sheetPr").child("pageSetUpPr").attribute("fitToPage"));
  auto titles = x.workbook.child("workbook")
                    .child("definedNames")
                    .find_child_by_attribute("definedName", "name", "_xlnm.Print_Titles");
  CHECK(std::string(titles.text().get()) == "'花名册'!$4:$4");

  ReportTable wide = sample_table();
  wide.columns.push_back({"结业人数", Type::kInt});
  wide.columns.push_back({"取证人数", Type::kInt});  // 9 sheet columns
  auto wide_path = (dir / "wide.xlsx").string();
  REQUIRE(write_report_xlsx(wide, wide_path).ok());
  Xlsx w(wide_path);
  CHECK(
      std::string(w.sheet.child("worksheet").child("pageSetup").attribute("orientation").value()) ==
      "landscape");
}

TEST_CASE("report xlsx: widths follow the content with CJK counted double; a set width stays") {
  testing::TempDir dir("chz-report");
  ReportTable t = sample_table();
  t.rows[0][0] = std::string("农村转移就业劳动者");  // 9 CJK characters: 18 units
  t.columns[2].width = 12;
  auto path = (dir / "r.xlsx").string();
  REQUIRE(write_report_xlsx(t, path).ok());
  Xlsx x(path);
  std::map<int, double> width;
  for (auto col : x.sheet.child("worksheet").child("cols").children("col"))
    width[col.attribute("min").as_int()] = col.attribute("width").as_double();
  // libxlsxwriter stores Excel's width plus its 0.71 character padding.
  CHECK(width[1] == doctest::Approx(6.71).epsilon(0.01));   // 序号, at the minimum
  CHECK(width[2] == doctest::Approx(20.71).epsilon(0.01));  // 18 + 2 margin
  CHECK(width[3] == doctest::Approx(20.71).epsilon(0.01));  // an 18-digit ID number
  CHECK(width[4] == doctest::Approx(12.71).epsilon(0.01));  // as set
}

TEST_CASE("report xlsx: a row with more cells than columns is refused and writes nothing") {
  testing::TempDir dir("chz-report");
  ReportTable t = sample_table();
  t.rows[1].push_back(std::int64_t{1});
  Status st = write_report_xlsx(t, (dir / "r.xlsx").string());
  CHECK(st.code() == Code::kInvalidArgument);
  CHECK(st.message().find("row 2") != std::string::npos);
  t = sample_table();
  t.total.resize(t.columns.size() + 1);
  CHECK(write_report_xlsx(t, (dir / "r.xlsx").string()).code() == Code::kInvalidArgument);
  CHECK(dir_entries(dir.path()).empty());
}

TEST_CASE("report xlsx: text that is not UTF-8 is refused and writes nothing") {
  testing::TempDir dir("chz-report");
  ReportTable t = sample_table();
  t.rows[0][0] = std::string("\xD5\xC5\xC8\xFD");  // 张三 in GBK
  CHECK(write_report_xlsx(t, (dir / "r.xlsx").string()).code() == Code::kInvalidArgument);
  t = sample_table();
  t.notes.push_back("\xC0\xAF");
  CHECK(write_report_xlsx(t, (dir / "r.xlsx").string()).code() == Code::kInvalidArgument);
  CHECK(dir_entries(dir.path()).empty());
}

TEST_CASE("report xlsx: a folder that does not exist gives an error and leaves no temp file") {
  testing::TempDir dir("chz-report");
  Status st = write_report_xlsx(sample_table(), (dir / "missing" / "r.xlsx").string());
  CHECK_FALSE(st.ok());
  CHECK(st.code() == Code::kInternal);
  CHECK_FALSE(st.message().empty());
  CHECK(dir_entries(dir.path()).empty());
}

TEST_CASE("report xlsx: a failure while writing keeps the old report whole and leaves no temp") {
  testing::TempDir dir("chz-report");
  auto path = (dir / "r.xlsx").string();
  REQUIRE(write_report_xlsx(sample_table(), path).ok());
  auto before = testing::snapshot_files(dir.path());

  ReportTable t = sample_table();
  t.notes.push_back(std::string(40000, 'x'));  // over Excel's 32767 characters a cell
  Status st = write_report_xlsx(t, path);
  CHECK(st.code() == Code::kInternal);
  CHECK(testing::snapshot_files(dir.path()) == before);

  t = sample_table();
  t.sheet_name = "花名册[1]";  // Excel refuses [ ] in sheet names
  CHECK(write_report_xlsx(t, path).code() == Code::kInvalidArgument);
  CHECK(testing::snapshot_files(dir.path()) == before);

  fs::create_directory(dir / "taken.xlsx");  // the rename cannot replace a folder
  CHECK(write_report_xlsx(sample_table(), (dir / "taken.xlsx").string()).code() == Code::kIoError);
  CHECK(testing::snapshot_files(dir.path()) == before);
  CHECK(dir_entries(dir.path()).size() == 2);
}

TEST_CASE("report xlsx: openpyxl reads the values back with their types") {
  if (std::system("/usr/bin/python3 -c 'import openpyxl' 2>/dev/null") != 0) {
    MESSAGE("SKIP the openpyxl read-back: python3-openpyxl is not installed");
    return;
  }
  testing::TempDir dir("chz-report");
  auto path = dir / "r.xlsx";
  REQUIRE(write_report_xlsx(sample_table(), path.string()).ok());
  std::string script =
      "import sys, openpyxl\n"
      "ws = openpyxl.load_workbook(sys.argv[1])['花名册']\n"
      "assert ws['A1'].value == '职业技能培训补贴人员花名册', ws['A1'].value\n"
      "assert ws['C5'].value == '140521199001011234', repr(ws['C5'].value)\n"
      "assert ws['D5'].value == '0012', repr(ws['D5'].value)\n"
      "assert ws['B5'].value == '张𠮷', repr(ws['B5'].value)\n"
      "assert ws['E5'].value == 123, repr(ws['E5'].value)\n"
      "assert ws['G5'].number_format == '0.0%', ws['G5'].number_format\n"
      "assert ws['D6'].data_type == 's', ws['D6'].data_type\n"
      "assert ws.freeze_panes == 'A5', ws.freeze_panes\n";
  REQUIRE(chz::write_file_atomic(dir / "check.py", script).ok());
  std::string cmd =
      "/usr/bin/python3 '" + (dir / "check.py").string() + "' '" + path.string() + "'";
  CHECK(std::system(cmd.c_str()) == 0);
}

TEST_CASE("report csv: BOM, CRLF, RFC 4180 quoting, formulas neutralised, ID numbers kept") {
  ReportTable t = sample_table();
  t.rows[2][2] = std::string("沁水县,\"端氏镇\"");
  t.rows[0][0] = std::string("+8613800000000");
  std::string csv = report_csv(t);
  REQUIRE(csv.size() > 3);
  CHECK(csv.substr(0, 3) == "\xEF\xBB\xBF");
  for (std::size_t i = csv.find('\n'); i != std::string::npos; i = csv.find('\n', i + 1))
    CHECK(csv[i - 1] == '\r');
  CHECK(csv.find("\"沁水县,\"\"端氏镇\"\"\"") != std::string::npos);
  CHECK(csv.find("'=HYPERLINK") != std::string::npos);
  CHECK(csv.find(",=HYPERLINK") == std::string::npos);
  CHECK(csv.find("'+8613800000000") != std::string::npos);
  CHECK(csv.find("\"=\"\"140521199001011234\"\"\"") != std::string::npos);
  CHECK(csv.find("\"=\"\"0012\"\"\"") != std::string::npos);
  CHECK(csv.find(",14052119850505002X,") != std::string::npos);  // Excel keeps it as text
  // Numbers as Excel reads them back; a negative number is not "neutralised".
  CHECK(csv.find(",123,48.5,92.3%\r\n") != std::string::npos);
  CHECK(csv.find(",-3,0.3,50.0%\r\n") != std::string::npos);  // 0.25 → 0.3, as Excel shows it
  CHECK(csv.find("\r\n,合计,,,127,64.8,80.0%\r\n") != std::string::npos);
  CHECK(csv.find("\xEF\xBB\xBF职业技能培训补贴人员花名册,,,,,,\r\n") == 0);
  CHECK(csv.find("填报单位：沁水县人力资源和社会保障局,,,,,,填报日期：2026-04-02\r\n") !=
        std::string::npos);
  CHECK(csv.find("序号,姓名,公民身份号码,证书编号,培训人次,培训学时,考核合格率\r\n") !=
        std::string::npos);
  CHECK(csv.find("\r\n1,'+8613800000000,") != std::string::npos);
  CHECK(csv.find("2,龘龙,") != std::string::npos);
  // The last lines: notes, an empty line, the footer spread across.
  CHECK(csv.ends_with(
      "注：数据为虚构示例。,,,,,,\r\n,,,,,,\r\n负责人：,,,填表人：,,联系电话：,\r\n"));
}

TEST_CASE("report json: parses back with numbers as numbers and text as text") {
  auto j = nlohmann::json::parse(report_json(sample_table()));
  CHECK(j["title"] == "职业技能培训补贴人员花名册");
  CHECK(j["unit_name"] == "沁水县人力资源和社会保障局");
  CHECK(j["numbered"] == true);
  REQUIRE(j["columns"].size() == 6);
  CHECK(j["columns"][1]["title"] == "公民身份号码");
  CHECK(j["columns"][1]["type"] == "text");
  CHECK(j["columns"][3]["type"] == "int");
  CHECK(j["columns"][4]["type"] == "decimal1");
  CHECK(j["columns"][5]["type"] == "percent1");
  REQUIRE(j["rows"].size() == 3);
  CHECK(j["rows"][0][0] == "张𠮷");
  CHECK(j["rows"][0][1].is_string());
  CHECK(j["rows"][0][1] == kId);
  CHECK(j["rows"][0][3].is_number_integer());
  CHECK(j["rows"][0][3] == 123);
  CHECK(j["rows"][0][4].is_number_float());
  CHECK(j["rows"][0][5].get<double>() == doctest::Approx(0.923));
  CHECK(j["rows"][2][2].is_null());
  CHECK(j["total"][0] == "合计");
  CHECK(j["total"][3] == 127);
  CHECK(j["notes"].size() == 2);
}

TEST_CASE("report cells: how a reader sees each type") {
  CHECK(report_cell_text(std::monostate{}, Type::kInt) == "");
  CHECK(report_cell_text(std::string("0012"), Type::kInt) == "0012");
  CHECK(report_cell_text(std::int64_t{12}, Type::kDecimal1) == "12.0");
  CHECK(report_cell_text(0.1234, Type::kPercent1) == "12.3%");
  CHECK(report_cell_text(0.25, Type::kDecimal1) == "0.3");
  CHECK(report_cell_text(-0.04, Type::kDecimal1) == "0.0");
  CHECK(report_cell_text(2.5, Type::kInt) == "3");
  CHECK(report_cell_text(std::numeric_limits<double>::infinity(), Type::kDecimal1) == "");
  CHECK(report_cell_text(std::int64_t{-5}, Type::kText) == "-5");
}
