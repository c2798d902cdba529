// Report tables: the checks and layout shared by every writer, and the CSV
// and JSON writers. The XLSX writer is report_table_xlsx.cpp.
#include "sync/server/report_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "sync/server/internal/report_layout.h"

namespace chz::server {

namespace internal {

std::string labelled(std::string_view label, const std::string& value) {
  if (value.empty()) return {};
  if (std::string_view(value).starts_with(label)) return value;
  return std::string(label) + value;
}

std::size_t sheet_columns(const ReportTable& t) {
  return t.columns.size() + (t.numbered ? 1 : 0);
}

std::size_t right_half(std::size_t ncols) {
  return std::max<std::size_t>(1, ncols / 2);
}

std::vector<std::string> footer_row(const ReportTable& t) {
  const std::size_t ncols = std::max<std::size_t>(1, sheet_columns(t));
  const std::size_t n = t.footer.size();
  std::vector<std::string> row(ncols);
  if (n > ncols) {
    for (std::size_t i = 0; i < n; ++i) row[0] += (i ? "    " : "") + t.footer[i];
    return row;
  }
  for (std::size_t i = 0; i < n; ++i) row[(i * ncols + n - 1) / n] = t.footer[i];
  return row;
}

// East Asian Wide and Fullwidth ranges (UAX #11), the ones a report meets:
// Hangul Jamo, CJK punctuation to Yi, Hangul syllables, compatibility
// ideographs, vertical and fullwidth forms, and the supplementary ideograph
// planes (𠮷 is U+20BB7).
static bool is_wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

double display_width(std::string_view s) {
  double w = 0;
  while (!s.empty()) {
    std::size_t len = utf8_sequence_length(s);
    if (len == 0) len = 1;  // a malformed byte: one narrow unit
    char32_t cp = static_cast<unsigned char>(s[0]);
    if (len > 1) {
      cp &= 0x7Fu >> len;  // the lead byte's payload bits
      for (std::size_t i = 1; i < len; ++i)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3Fu);
    }
    w += is_wide(cp) ? 2 : 1;
    s.remove_prefix(len);
  }
  return w;
}

}  // namespace internal

namespace {

using internal::labelled;

const char* type_name(ReportColumn::Type t) {
  switch (t) {
    case ReportColumn::Type::kText:
      return "text";
    case ReportColumn::Type::kInt:
      return "int";
    case ReportColumn::Type::kDecimal1:
      return "decimal1";
    case ReportColumn::Type::kPercent1:
      return "percent1";
  }
  return "text";
}

Status check_cells(const std::vector<ReportCell>& cells, std::size_t ncols,
                   const std::string& what) {
  if (cells.size() > ncols)
    return Error(Code::kInvalidArgument,
                 fmt::format("{} has {} cells for {} columns", what, cells.size(), ncols));
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const auto* s = std::get_if<std::string>(&cells[i]);
    if (s && !is_valid_utf8(*s))
      return Error(Code::kInvalidArgument, fmt::format("{} cell {} is not UTF-8", what, i + 1));
  }
  return OkStatus();
}

// RFC 4180: quote a field holding a comma, a quote, CR or LF; double quotes.
void append_field(std::string& out, std::string_view f) {
  if (f.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += f;
    return;
  }
  out += '"';
  for (char c : f) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// Text as Excel must keep it (see report_csv in the header).
std::string csv_text(const std::string& s) {
  if (s.empty()) return s;
  if (std::string_view("=+-@\t\r").find(s[0]) != std::string_view::npos) return "'" + s;
  bool digits = std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits && (s.size() > 11 || (s.size() > 1 && s[0] == '0'))) return "=\"" + s + "\"";
  return s;
}

// One CSV line; text fields must have been through csv_text already (a
// number such as -3 must not be).
void append_line(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    append_field(out, fields[i]);
  }
  out += "\r\n";
}

// A line of text: `texts` from field 0, padded to `nfields`.
std::vector<std::string> text_line(std::vector<std::string> texts, std::size_t nfields) {
  texts.resize(std::max(texts.size(), nfields));
  for (auto& s : texts) s = csv_text(s);
  return texts;
}

// A header line: `left` in field 0, `right` from the right half on.
std::vector<std::string> meta_line(std::size_t ncols, std::string left, std::string right) {
  std::size_t rh = internal::right_half(ncols);
  std::vector<std::string> f(std::max(ncols, rh + 1));
  f[0] = csv_text(left);
  f.back() = csv_text(right);
  return f;
}

// Cells as CSV fields; `lead` is the 序号 field ("" for none, or for the
// 合计 row of a numbered table).
std::vector<std::string> cell_line(const ReportTable& t, const std::vector<ReportCell>& cells,
                                   const std::string* lead) {
  std::vector<std::string> f;
  if (lead) f.push_back(*lead);
  for (std::size_t i = 0; i < std::max(cells.size(), t.columns.size()); ++i) {
    auto type = i < t.columns.size() ? t.columns[i].type : ReportColumn::Type::kText;
    std::string v = i < cells.size() ? report_cell_text(cells[i], type) : std::string();
    f.push_back(i < cells.size() && std::holds_alternative<std::string>(cells[i]) ? csv_text(v)
                                                                                  : v);
  }
  return f;
}

nlohmann::json cell_json(const ReportCell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&c)) return *i;
  if (const auto* d = std::get_if<double>(&c)) {
    if (std::isfinite(*d)) return *d;
  }
  return nullptr;
}

nlohmann::json cells_json(const std::vector<ReportCell>& cells) {
  auto a = nlohmann::json::array();
  for (const auto& c : cells) a.push_back(cell_json(c));
  return a;
}

}  // namespace

Status check_report_table(const ReportTable& t) {
  if (t.columns.empty()) return Error(Code::kInvalidArgument, "a report table needs a column");
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    CHZ_TRY(check_cells(t.rows[r], t.columns.size(), fmt::format("row {}", r + 1)));
  CHZ_TRY(check_cells(t.total, t.columns.size(), "the total row"));
  std::vector<const std::string*> texts = {&t.title,     &t.unit_name, &t.period,
                                           &t.filled_on, &t.units,     &t.sheet_name};
  for (const auto& c : t.columns) texts.push_back(&c.title);
  for (const auto& n : t.notes) texts.push_back(&n);
  for (const auto& f : t.footer) texts.push_back(&f);
  for (const auto* s : texts)
    if (!is_valid_utf8(*s))
      return Error(Code::kInvalidArgument, "a report title, note or header is not UTF-8");
  return OkStatus();
}

std::string report_cell_text(const ReportCell& c, ReportColumn::Type type) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  double v = 0;
  if (const auto* i = std::get_if<std::int64_t>(&c)) {
    if (type == ReportColumn::Type::kInt || type == ReportColumn::Type::kText)
      return std::to_string(*i);
    v = static_cast<double>(*i);
  } else if (const auto* d = std::get_if<double>(&c)) {
    v = *d;
  } else {
    return {};
  }
  if (!std::isfinite(v)) return {};
  // Rounded half away from zero, as Excel displays it (fmt alone rounds
  // 0.25 to 0.2); + 0.0 turns -0 into 0.
  auto tenths = [](double x) { return std::round(x * 10) / 10 + 0.0; };
  switch (type) {
    case ReportColumn::Type::kInt:
      return fmt::format("{:.0f}", std::round(v) + 0.0);
    case ReportColumn::Type::kDecimal1:
      return fmt::format("{:.1f}", tenths(v));
    case ReportColumn::Type::kPercent1:
      return fmt::format("{:.1f}%", tenths(v * 100));
    case ReportColumn::Type::kText:
      break;
  }
  return fmt::format("{}", v);
}

std::string report_csv(const ReportTable& t) {
  const std::size_t ncols = internal::sheet_columns(t);
  std::string out = "\xEF\xBB\xBF";
  append_line(out, text_line({t.title}, ncols));
  append_line(out, meta_line(ncols, labelled("填报单位：", t.unit_name),
                             labelled("填报日期：", t.filled_on)));
  append_line(out, meta_line(ncols, labelled("统计时段：", t.period), labelled("单位：", t.units)));
  std::vector<std::string> header;
  if (t.numbered) header.push_back("序号");
  for (const auto& c : t.columns) header.push_back(c.title);
  append_line(out, text_line(header, ncols));
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    std::string n = std::to_string(r + 1);
    append_line(out, cell_line(t, t.rows[r], t.numbered ? &n : nullptr));
  }
  if (!t.total.empty()) {
    std::string none;
    append_line(out, cell_line(t, t.total, t.numbered ? &none : nullptr));
  }
  for (const auto& note : t.notes) append_line(out, text_line({note}, ncols));
  if (!t.footer.empty()) {
    append_line(out, text_line({}, ncols));
    append_line(out, text_line(internal::footer_row(t), ncols));
  }
  return out;
}

std::string report_json(const ReportTable& t) {
  nlohmann::json j;
  j["title"] = t.title;
  j["unit_name"] = t.unit_name;
  j["period"] = t.period;
  j["filled_on"] = t.filled_on;
  j["units"] = t.units;
  j["numbered"] = t.numbered;
  j["columns"] = nlohmann::json::array();
  for (const auto& c : t.columns)
    j["columns"].push_back({{"title", c.title}, {"type", type_name(c.type)}});
  j["rows"] = nlohmann::json::array();
  for (const auto& r : t.rows) j["rows"].push_back(cells_json(r));
  j["total"] = cells_json(t.total);
  j["notes"] = t.notes;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace chz::server
