// Importing question banks bureaus already have: XLSX and CSV (UTF-8 or
// GB18030) with columns 题型, 题干, 选项A…选项F, 答案, 解析, 分值, 章节 (and
// optionally 编号, 图片), Moodle GIFT and Aiken. Export to XLSX re-imports
// to the same questions.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "content/model.h"

namespace chz::content {

// One problem: file, 1-based row (spreadsheets, header = row 1) or line
// (text formats), and a reason in Chinese then English.
struct ImportIssue {
  std::string file;
  int line = 0;
  std::string reason;
};
std::string to_string(const ImportIssue& i);  // "bank.csv:7: 答案为空 / the answer is empty"

struct ImportResult {
  std::vector<Question> questions;   // empty when errors is non-empty
  std::vector<ImportIssue> errors;   // problems that stopped the import
  std::vector<ImportIssue> skipped;  // with skip_bad: the rows left out
  bool ok() const { return errors.empty(); }
};

enum class ImportFormat { kXlsx, kCsv, kGift, kAiken };
// From the extension: .xlsx .csv .gift/.txt(GIFT) .aiken; kInvalidArgument otherwise.
Result<ImportFormat> format_from_name(std::string_view file_name);
Result<ImportFormat> parse_format(std::string_view name);  // "xlsx", "csv", "gift", "aiken"

struct ImportOptions {
  bool skip_bad = false;            // import the good rows, report the bad as skipped
  std::string default_chapter;      // for rows/questions without one (Aiken has none)
  std::string id_prefix = "q";      // generated ids: q001, q002... (skipping taken ones)
  std::set<std::string> taken_ids;  // ids already in the bank being appended to
};

// An import with any error imports nothing unless skip_bad is set.
ImportResult import_bytes(std::string_view bytes, std::string_view file_name, ImportFormat format,
                          const ImportOptions& opts = {});
ImportResult import_file(const std::filesystem::path& file, ImportFormat format,
                         const ImportOptions& opts = {});

// Writes the questions as an XLSX sheet with the columns above (编号 first).
Status export_xlsx(const std::vector<Question>& bank, const std::filesystem::path& out);

// --- pieces, for the importers and their tests ---
// A parsed question or the issue that stopped it.
struct ParsedItem {
  int line = 0;
  std::optional<Question> question;  // id may be empty (assigned later)
  std::string error;                 // set when !question
};
// Raw table rows (CSV/XLSX): row number + cells.
struct TableRow {
  int line = 0;
  std::vector<std::string> cells;
};
// Header row + data rows -> items; a missing required column is one error at row 1.
std::vector<ParsedItem> parse_table(const std::vector<TableRow>& rows, const ImportOptions& opts);
Result<std::vector<TableRow>> read_csv(std::string_view bytes);   // detects UTF-8 / GB18030
Result<std::vector<TableRow>> read_xlsx(std::string_view bytes);  // first sheet
std::vector<ParsedItem> parse_gift(std::string_view text, const ImportOptions& opts);
std::vector<ParsedItem> parse_aiken(std::string_view text, const ImportOptions& opts);

}  // namespace chz::content
