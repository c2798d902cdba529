// The county's report writers: one table (a statistics table or the subsidy
// roster) as XLSX, CSV or JSON, laid out the way bureaus hand reports upward.
// Formatting only: the statistics code fills a ReportTable, these functions
// never touch a store.
//
// Header lines: unit_name, period, filled_on and units hold the bare value
// ("XX县人力资源和社会保障局"); the writers add the label ("填报单位：").
// A value that already starts with its label is written as it is, so the
// label never appears twice. An empty value leaves its place empty.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "common/status.h"

namespace chz::server {

// A value in a report cell: empty, text (kept as text in XLSX even if it
// looks like a number: ID numbers, certificate numbers), an integer, or a
// decimal. Integers beyond ±2^53 lose digits in XLSX (Excel holds doubles):
// identifiers belong in text cells. A NaN or infinite double is written as
// an empty cell (null in JSON).
using ReportCell = std::variant<std::monostate, std::string, std::int64_t, double>;

struct ReportColumn {
  std::string title;  // e.g. "培训人次"
  // kPercent1: the double is a fraction 0..1 shown as 12.3%. The type picks
  // the number format; a text cell in any column stays text.
  enum class Type { kText, kInt, kDecimal1, kPercent1 } type = Type::kInt;
  double width = 0;  // 0 = automatic from the content (CJK characters count double)
};

struct ReportTable {
  std::string title;      // "职业技能培训统计表"  (first line, merged across, bold, large)
  std::string unit_name;  // 填报单位：XX县人力资源和社会保障局
  std::string period;     // 统计时段：2026-01-01 至 2026-03-31
  std::string filled_on;  // 填报日期：2026-04-02
  std::string units;      // 单位：人、学时
  bool numbered = true;   // a leading 序号 column 1..n
  std::vector<ReportColumn> columns;  // after 序号
  std::vector<std::vector<ReportCell>> rows;
  // The 合计 row (first text cell usually "合计"); empty = none; no 序号 on it.
  std::vector<ReportCell> total;
  // Lines under the table (e.g. "注：一人属多个重点群体时各计一次，合计按人数去重。").
  std::vector<std::string> notes;
  std::vector<std::string> footer = {"负责人：", "填表人：",
                                     "联系电话："};  // one line, spread across
  std::string sheet_name = "统计表";
};

// OK iff `t` can be written: no row (nor the total) has more cells than
// `columns` (rows never include the 序号; shorter rows are padded with empty
// cells), every string is valid UTF-8, and there is at least one column.
// kInvalidArgument naming the first offence otherwise. write_report_xlsx
// checks this itself; report_csv and report_json do not (they return a
// string): call it first when the table comes from elsewhere.
[[nodiscard]] Status check_report_table(const ReportTable& t);

// Writes `t` as an XLSX workbook at `path`, atomically: libxlsxwriter writes
// `path`.tmp-<random> in the same folder, which is fsynced, set to 0600 (a
// roster holds ID numbers) and renamed over `path`; on any failure the temp
// file is removed and `path` is unchanged.
// Layout (0-based sheet rows): 0 title (merged, centred, bold 16pt); 1
// 填报单位 left, 填报日期 right; 2 统计时段 left, 单位 right; 3 the header
// (bold, borders, wrapped, grey fill), frozen below it (pane ySplit="4") and
// repeated on every printed page; then the rows with thin borders, the 合计
// row bold, the notes, a blank row, the footer spread across one row.
// Numbers are numbers (kInt "0", kDecimal1 "0.0", kPercent1 "0.0%"); strings
// are always written as strings, never as formulas, so "0012",
// "140521199001011234" and "=HYPERLINK(…)" stay text. Print: A4, landscape if
// the sheet has more than 8 columns (序号 included), fit to 1 page wide.
// Returns check_report_table's refusal; kInvalidArgument for a sheet name
// Excel refuses; kInternal with libxlsxwriter's error string when it fails;
// kIoError when the fsync or rename fails. (libxlsxwriter also prints its
// own "[ERROR] workbook_close(): …" line to stderr when it cannot write.)
[[nodiscard]] Status write_report_xlsx(const ReportTable& t, const std::string& path);

// The same table as CSV: UTF-8 with a BOM (Excel then reads Chinese right),
// CRLF line ends, RFC 4180 quoting (a field with , " CR or LF is quoted,
// quotes doubled). Lines: title, 填报单位 … 填报日期, 统计时段 … 单位, the
// header, the rows, the 合计 row, the notes, an empty line, the footer; every
// line has the same number of fields as the table (the right-hand header
// values sit in the last field). Numbers are written as Excel reads them
// back: kDecimal1 "12.3", kPercent1 "12.3%", kInt whole.
// Text that Excel would change is written so it stays text (OWASP's advice
// for CSV injection, and the usual practice for ID numbers):
//   * starting with = + - @ TAB or CR (a formula): prefixed with a single
//     quote ', so "=1+1" becomes '=1+1 and is never evaluated (Excel shows
//     the quote: the cell reads '=1+1, which is the point);
//   * all digits and longer than 11 characters (ID numbers, certificate
//     numbers: Excel would show 1.40521E+17 and drop digits past 15) or with
//     a leading zero ("0012"): written as ="<digits>", a formula Excel shows
//     as the text itself. Programs other than Excel (LibreOffice with
//     formulas off, pandas) read the literal ="…"; a prefixed tab is not
//     used because it survives as a stray character in every reader.
// Rows are written as they are (more cells than columns give more fields).
std::string report_csv(const ReportTable& t);

// JSON: {"title","unit_name","period","filled_on","units","numbered",
// "columns":[{"title","type"}],"rows":[[...]],"total":[...],"notes":[...]};
// type is "text" | "int" | "decimal1" | "percent1"; cells are null, a
// string, or a number (NaN/inf → null). Invalid UTF-8 becomes U+FFFD.
std::string report_json(const ReportTable& t);

// A cell as a reader sees it under `type`: "" for empty, the text itself,
// "12", "12.3", "12.3%" (a fraction ×100), rounded half away from zero as
// Excel shows it (0.25 → "0.3"). Used for CSV and to size columns.
std::string report_cell_text(const ReportCell& c, ReportColumn::Type type);

}  // namespace chz::server
