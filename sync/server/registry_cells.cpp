// Header finding, cell reading and the ID-number cell check shared by the
// registry and held-certificate readers; issues_csv.
#include "sync/server/internal/registry_cells.h"

#include "common/utf8.h"
#include "content/text_util.h"  // fold_fullwidth, trim, split_any

namespace chz::server {

namespace internal {

std::string header_key(std::string_view cell) {
  std::string folded = content::fold_fullwidth(cell);  // U+3000 becomes ' '
  std::string out;
  for (char c : folded)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '*') out.push_back(c);
  return out;
}

Result<Header> find_header(const Table& t, const std::vector<ColumnSpec>& spec) {
  for (std::size_t r = 0; r < t.rows.size() && r < 20; ++r) {
    Header h;
    h.at = r;
    h.row = t.rows[r].row;
    const auto& cells = t.rows[r].cells;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      std::string k = header_key(cells[i].text);
      if (k.empty()) continue;
      for (const auto& s : spec) {
        if (h.column.count(s.field)) continue;
        for (auto n : s.names)
          if (k == n) {
            h.column[s.field] = i;
            h.column_name[s.field] = content::trim(cells[i].text);
            break;
          }
      }
    }
    bool all = true;
    for (const auto& s : spec) all &= !s.required || h.column.count(s.field) > 0;
    if (all) return h;
  }
  std::string looked;
  for (const auto& s : spec) {
    if (!s.required) continue;
    if (!looked.empty()) looked += " and ";
    for (std::size_t i = 0; i < s.names.size(); ++i)
      looked += (i ? " / " : "") + std::string(s.names[i]);
  }
  return Error(Code::kInvalidArgument,
               "no header row among the first 20 rows: looked for a row holding " + looked,
               "registry.no_header");
}

const Cell* field_cell(const Header& h, const TableRow& row, int field) {
  auto it = h.column.find(field);
  if (it == h.column.end() || it->second >= row.cells.size()) return nullptr;
  return &row.cells[it->second];
}

std::string field_text(const Header& h, const TableRow& row, int field) {
  const Cell* c = field_cell(h, row, field);
  return c ? content::trim(c->text) : std::string();
}

bool is_blank(const TableRow& row) {
  for (const auto& c : row.cells)
    if (!content::trim(c.text).empty()) return false;
  return true;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  while (!s.empty()) {
    std::size_t len = utf8_sequence_length(s);
    s.remove_prefix(len ? len : 1);
    ++n;
  }
  return n;
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  for (auto& part : content::split_any(
           s, {"、", ",", "，", ";", "；", "/", "／", " ", "\xE3\x80\x80", "\t", "\n"})) {
    std::string p = content::trim(part);
    if (!p.empty()) out.push_back(std::move(p));
  }
  return out;
}

namespace {

// "1.40521E+17", "1.40521199001011e17", "1E+17": what Excel shows for a long
// number, whose last digits are gone.
bool scientific(std::string_view s) {
  std::size_t i = 0, digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0 || i >= s.size() || (s[i] != 'E' && s[i] != 'e')) return false;
  ++i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t exp = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp;
  return exp > 0 && i == s.size();
}

std::string chinese_for(const std::string& key) {
  if (key == "id.length") return "身份证号应为 18 位（或 15 位旧号码）";
  if (key == "id.chars") return "身份证号只能是数字，最后一位可以是 X";
  if (key == "id.region") return "身份证号的地区码不对";
  if (key == "id.birth_date") return "身份证号中的出生日期不对";
  if (key == "id.check_digit") return "身份证号最后一位校验码不对";
  return "身份证号不对";
}

}  // namespace

IdCheck check_id_cell(const Cell& cell) {
  IdCheck out;
  std::string s = content::trim(content::fold_fullwidth(cell.text));
  if (s.empty()) {
    out.key = "registry.id_empty";
    out.what = "身份证号为空";
    return out;
  }
  if (cell.numeric || scientific(s)) {
    out.key = "registry.id_as_number";
    out.what = std::string(kIdAsNumber);
    return out;
  }
  if (s.size() == 15) {
    auto up = sync::upgrade_id15(s);
    if (!up.ok()) {
      out.key = up.status().key();
      out.what = chinese_for(out.key) + "（" + up.status().message() + "）";
      return out;
    }
    s = *up;
  }
  auto card = sync::parse_id_number(s);
  if (!card.ok()) {
    out.key = card.status().key();
    out.what = chinese_for(out.key) + "（" + card.status().message() + "）";
    return out;
  }
  out.card = std::move(card).value();
  return out;
}

}  // namespace internal

namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string issues_csv(const std::vector<RowIssue>& issues) {
  std::string out = "\xEF\xBB\xBF行号,列,问题,处理\r\n";
  for (const auto& i : issues)
    out += std::to_string(i.row) + "," + csv_field(i.column) + "," + csv_field(i.what) + "," +
           (i.fatal ? "未导入" : "已导入") + "\r\n";
  return out;
}

}  // namespace chz::server
