// XLSX: zip through content's safe archive reader, XML through pugixml. Only
// the first sheet is read. Element names are matched without their namespace
// prefix, as some writers emit <x:row>.
#include <pugixml.hpp>

#include <map>

#include "content/archive.h"
#include "sync/server/internal/table_file_formats.h"

namespace chz::server::internal {

namespace {

std::string_view local_name(const pugi::xml_node& n) {
  std::string_view s = n.name();
  auto colon = s.find(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

pugi::xml_node child(const pugi::xml_node& n, std::string_view name) {
  for (auto c : n.children())
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  return {};
}

template <class F>
void each_child(const pugi::xml_node& n, std::string_view name, F&& f) {
  for (auto c : n.children())
    if (c.type() == pugi::node_element && local_name(c) == name) f(c);
}

// Text of a shared or inline string: every <t>, in rich-text runs too;
// phonetic guides (<rPh>) are not part of the value.
std::string text_of(const pugi::xml_node& n) {
  std::string out;
  for (auto c : n.children()) {
    if (c.type() != pugi::node_element) continue;
    auto name = local_name(c);
    if (name == "t")
      out += c.text().get();
    else if (name == "r")
      out += text_of(c);
  }
  return out;
}

// "BC12" -> column 54, row 12 (column 0-based). False on a malformed one.
bool parse_ref(std::string_view ref, int* col, int* row) {
  std::size_t i = 0;
  int c = 0;
  for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z' && i < 3; ++i)
    c = c * 26 + (ref[i] - 'A' + 1);
  if (i == 0 || c > 16384) return false;
  int r = 0;
  std::size_t digits = 0;
  for (; i < ref.size() && ref[i] >= '0' && ref[i] <= '9' && digits < 8; ++i, ++digits)
    r = r * 10 + (ref[i] - '0');
  if (i != ref.size() || digits == 0 || r < 1 || r > 1048576) return false;
  *col = c - 1;
  *row = r;
  return true;
}

// "5.0" -> "5", "1.50" stays: integers as Excel shows them.
std::string integer_form(std::string v) {
  auto dot = v.find('.');
  if (dot == std::string::npos || v.find_first_of("eE") != std::string::npos) return v;
  if (v.find_first_not_of('0', dot + 1) == std::string::npos) v.erase(dot);
  return v;
}

using Files = std::map<std::string, const std::string*>;

Status load(const Files& files, const std::string& path, pugi::xml_document& doc) {
  auto it = files.find(path);
  if (it == files.end()) return corrupt("the XLSX has no " + path);
  auto r = doc.load_buffer(it->second->data(), it->second->size());
  if (!r) return corrupt(path + " is not well-formed XML: " + r.description());
  return OkStatus();
}

Result<std::string> first_sheet_path(const Files& files) {
  pugi::xml_document wb;
  CHZ_TRY(load(files, "xl/workbook.xml", wb));
  auto sheet = child(child(child(wb, "workbook"), "sheets"), "sheet");
  if (!sheet) return corrupt("the XLSX workbook lists no sheet");
  std::string rid;
  for (auto a : sheet.attributes()) {
    std::string_view n = a.name();
    if (n.size() > 3 && n.substr(n.size() - 3) == ":id") rid = a.value();
  }
  pugi::xml_document rels;
  if (files.count("xl/_rels/workbook.xml.rels")) {
    CHZ_TRY(load(files, "xl/_rels/workbook.xml.rels", rels));
    for (auto r : child(rels, "Relationships").children()) {
      if (local_name(r) != "Relationship" || rid != r.attribute("Id").value()) continue;
      std::string target = r.attribute("Target").value();
      return target.rfind('/', 0) == 0 ? target.substr(1) : "xl/" + target;
    }
  }
  return std::string("xl/worksheets/sheet1.xml");  // what every writer names it
}

}  // namespace

Result<Table> read_xlsx_table(std::string_view bytes, const TableLimits& limits) {
  content::ArchiveLimits al;
  al.max_entries = 10000;
  al.max_entry_bytes = limits.max_part_bytes;
  al.max_total_bytes = 2 * limits.max_part_bytes;
  auto entries = content::read_archive(bytes, content::ArchiveKind::kZip, al);
  if (!entries.ok()) {
    const auto& st = entries.status();
    if (st.code() == Code::kTooLarge) return too_large("XLSX: " + st.message());
    return corrupt("not a readable XLSX (zip): " + st.message());
  }
  Files files;
  for (const auto& e : *entries) files[e.path] = &e.data;

  CHZ_ASSIGN_OR_RETURN(std::string sheet_path, first_sheet_path(files));

  std::vector<std::string> shared;
  if (files.count("xl/sharedStrings.xml")) {
    pugi::xml_document ss;
    CHZ_TRY(load(files, "xl/sharedStrings.xml", ss));
    each_child(child(ss, "sst"), "si",
               [&](const pugi::xml_node& si) { shared.push_back(text_of(si)); });
  }

  pugi::xml_document ws;
  CHZ_TRY(load(files, sheet_path, ws));
  Table t;
  t.format = Table::Format::kXlsx;
  std::size_t slots = 0;
  int next_row = 1;
  auto sheet_data = child(child(ws, "worksheet"), "sheetData");
  for (auto row : sheet_data.children()) {
    if (row.type() != pugi::node_element || local_name(row) != "row") continue;
    TableRow tr;
    tr.row = row.attribute("r") ? row.attribute("r").as_int() : next_row;
    if (tr.row < next_row || tr.row > 1048576) return corrupt("XLSX rows out of order");
    next_row = tr.row + 1;
    int next_col = 0;
    for (auto c : row.children()) {
      if (c.type() != pugi::node_element || local_name(c) != "c") continue;
      int col = next_col, ref_row = tr.row;
      if (c.attribute("r") && !parse_ref(c.attribute("r").value(), &col, &ref_row))
        return corrupt("XLSX cell reference is malformed");
      if (ref_row != tr.row) return corrupt("XLSX cell reference names another row");
      next_col = col + 1;
      std::string_view type = c.attribute("t").value();
      Cell cell;
      auto v = child(c, "v");
      if (type == "s") {
        if (!v) continue;
        auto idx = static_cast<std::size_t>(v.text().as_ullong(~0ull));
        if (idx >= shared.size()) return corrupt("XLSX shared string index out of range");
        cell.text = shared[idx];
      } else if (type == "inlineStr") {
        cell.text = text_of(child(c, "is"));
      } else if (type == "b") {
        if (!v) continue;
        cell.text = std::string_view(v.text().get()) == "1" ? "TRUE" : "FALSE";
      } else if (type == "str" || type == "e" || type == "d") {
        cell.text = v.text().get();
      } else {             // "n" or no type: a number
        if (!v) continue;  // a styled empty cell
        cell.text = integer_form(v.text().get());
        cell.numeric = true;
      }
      if (cell.text.empty()) continue;
      auto at = static_cast<std::size_t>(col);
      if (at >= tr.cells.size()) {
        slots += at + 1 - tr.cells.size();
        if (slots > limits.max_cells) return too_large("the XLSX sheet has too many cells");
        tr.cells.resize(at + 1);
      }
      tr.cells[at] = std::move(cell);
    }
    if (tr.cells.empty()) continue;
    if (t.rows.size() >= limits.max_rows)
      return too_large("more than " + std::to_string(limits.max_rows) + " rows");
    t.rows.push_back(std::move(tr));
  }
  return t;
}

}  // namespace chz::server::internal
