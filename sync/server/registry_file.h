// The county's labour-force registry (劳动力建档立卡花名册) and its list of
// certificates people already hold, read from the spreadsheet files the
// bureau keeps (sync/server/table_file.h). Pure parsing: nothing is stored.
//
// The header row is found by its column names among the first 20 rows
// (title rows above it are skipped). Each data row is validated on its own:
// a bad row is refused with a RowIssue and the others are still read.
// Personal data (ID numbers, names, phones) never appears in a Status or an
// issue; issues name the row and the column only.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "sync/server/table_file.h"

namespace chz::server {

struct RowIssue {
  int row = 0;         // 1-based, as in the spreadsheet
  std::string column;  // the header's column name, e.g. "身份证号"
  std::string what;    // Chinese, for the bureau
  bool fatal = false;  // true: the row was not imported; false: imported with a warning
  std::string key;     // stable key, e.g. "registry.id_as_number", "id.check_digit"
};

struct RegistryPerson {
  int row = 0;
  std::string id_number;  // 18 characters, upper-case X (15-digit old numbers upgraded)
  std::string name;
  std::string gender;  // "男" | "女", from the ID number
  std::string birth;   // "YYYY-MM-DD", from the ID number
  std::string township, village;
  std::string phone;                // 11 digits or ""
  std::string employment;           // "employed" | "unemployed" | "" (unknown)
  std::vector<std::string> groups;  // each one of sync::kinds::kKeyGroups, file order
};

struct RegistryFile {
  std::vector<RegistryPerson> people;
  std::vector<RowIssue> issues;  // in row order
  int header_row = 0;
  int data_rows = 0;  // non-empty rows below the header
};

// Reads a registry. Columns: 姓名 and the ID number (身份证号 / 身份证号码 /
// 公民身份号码 / 证件号码) are required; 性别, 乡镇, 村, 联系电话, 就业状态,
// 重点群体 are read when present (common spellings accepted), others ignored.
// Refusals: read_table_file's, and kInvalidArgument "registry.no_header"
// (naming the columns looked for) when no row of the first 20 holds both.
// `today_year` refuses birth years after it. Row rules: see registry_file.cpp.
Result<RegistryFile> read_registry(const std::string& path, int today_year);
Result<RegistryFile> read_registry(const Table& table, int today_year);

struct HeldCertificate {
  int row = 0;
  std::string id_number, name;
  std::string kind;  // "等级" (职业技能等级 / 职业资格) | "专项" (专项职业能力)
  std::string occupation;  // 职业(工种) or 专项能力名称
  int level = 0;  // 5..1 for 等级 (五级/初级工 = 5 ... 一级/高级技师 = 1); 0 for 专项
  std::string number;  // 证书编号, unique within the file
  std::string date;    // "YYYY-MM-DD" or "" when the file has none
  std::string issuer;
};

struct CertificateFile {
  std::vector<HeldCertificate> certificates;
  std::vector<RowIssue> issues;
  int header_row = 0;
  int data_rows = 0;
};

// Reads a list of held certificates: 姓名, ID number, 证书类型, 职业(工种),
// 等级, 证书编号, 发证日期 (YYYY-MM-DD, YYYY/M/D, YYYY年M月D日 or an Excel
// date serial), 发证机构. A certificate number seen twice refuses the later
// row. Refusals as read_registry ("registry.no_header").
Result<CertificateFile> read_held_certificates(const std::string& path);
Result<CertificateFile> read_held_certificates(const Table& table);

// The issues as a UTF-8 CSV with BOM (opens in Excel) for `--errors FILE`:
// 行号,列,问题,处理 with 处理 = 未导入 | 已导入. Holds no personal data.
std::string issues_csv(const std::vector<RowIssue>& issues);
inline std::string issues_csv(const RegistryFile& f) {
  return issues_csv(f.issues);
}

}  // namespace chz::server
