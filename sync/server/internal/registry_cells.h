// What the registry and certificate readers share: finding the header row,
// reading a cell, checking an ID-number cell. Internal to sync/server.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/protocol/idcard.h"
#include "sync/server/registry_file.h"
#include "sync/server/table_file.h"

namespace chz::server::internal {

// A header cell folded for matching: full-width forms to ASCII, every space
// (also U+3000), tab, newline and '*' (a "required" mark) removed.
std::string header_key(std::string_view cell);

// One column a reader knows: its field number and the spellings accepted
// (already in header_key form). `required` columns must be in the header.
struct ColumnSpec {
  int field;
  std::vector<std::string_view> names;
  bool required = false;
};

struct Header {
  std::size_t at = 0;                      // index in Table::rows
  int row = 0;                             // its spreadsheet row
  std::map<int, std::size_t> column;       // field -> cell index
  std::map<int, std::string> column_name;  // field -> the header text as written
};

// The first of the first 20 rows holding every required column.
// kInvalidArgument "registry.no_header" naming the required spellings.
Result<Header> find_header(const Table& t, const std::vector<ColumnSpec>& spec);

// The trimmed text of `field` in `row` ("" when the column or cell is absent).
std::string field_text(const Header& h, const TableRow& row, int field);
const Cell* field_cell(const Header& h, const TableRow& row, int field);
bool is_blank(const TableRow& row);
std::size_t utf8_length(std::string_view s);  // code points
// Splits on 、 , ， ; ； / ／ and spaces (also U+3000); empty parts dropped.
std::vector<std::string> split_list(std::string_view s);

// A checked ID-number cell: the card, or the refusal (key + Chinese text).
struct IdCheck {
  std::optional<sync::IdCard> card;
  std::string key, what;
};
// Refuses numbers stored as numbers or in scientific notation
// ("registry.id_as_number"), upgrades 15-digit old numbers, then applies
// sync::parse_id_number.
IdCheck check_id_cell(const Cell& cell);

// The Chinese explanation of an ID number stored as a number.
inline constexpr std::string_view kIdAsNumber =
    "身份证号被 Excel 存成了数字（如 1.40521E+17），末几位已经丢失，无法恢复："
    "请把该列设为文本格式后重新录入";

}  // namespace chz::server::internal
