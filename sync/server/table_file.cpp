// read_table_file: format by content, size bounds, and the CSV reader.
#include "sync/server/table_file.h"

#include <cmath>
#include <cstdio>
#include <fstream>

#include "common/utf8.h"
#include "content/text_util.h"  // gb18030_to_utf8
#include "sync/server/internal/table_file_formats.h"

namespace chz::server {

namespace internal {

Status corrupt(std::string what) {
  return Error(Code::kInvalidArgument, std::move(what), "registry.corrupt");
}

Status too_large(std::string what) {
  return Error(Code::kTooLarge, std::move(what), "registry.too_large");
}

std::string number_text(double v) {
  char buf[64];
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

Result<Table> read_csv_table(std::string_view bytes, const TableLimits& limits) {
  std::string_view text = bytes;
  // Delimiter: a tab-separated export has tabs and no commas in its first line.
  std::string_view first = text.substr(0, text.find('\n'));
  char delim =
      (first.find('\t') != std::string_view::npos && first.find(',') == std::string_view::npos)
          ? '\t'
          : ',';
  Table t;
  t.format = Table::Format::kCsv;
  TableRow row{1, {}};
  std::string cell;
  int record = 1;
  bool quoted = false, has_content = false;
  std::size_t slots = 0;
  auto end_cell = [&] {
    row.cells.push_back(Cell{std::move(cell), false});
    cell.clear();
  };
  auto end_row = [&]() -> Status {
    end_cell();
    if (has_content) {
      if (t.rows.size() >= limits.max_rows)
        return internal::too_large("more than " + std::to_string(limits.max_rows) + " rows");
      slots += row.cells.size();
      if (slots > limits.max_cells) return internal::too_large("too many cells");
      t.rows.push_back(std::move(row));
    }
    row = TableRow{++record, {}};
    has_content = false;
    return OkStatus();
  };
  int quote_opened = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"')
          cell.push_back('"'), ++i;
        else
          quoted = false;
      } else {
        cell.push_back(c);
      }
      continue;
    }
    if (c == '"' && cell.empty()) {
      quoted = true;
      quote_opened = record;
      has_content = true;
    } else if (c == delim) {
      end_cell();
      has_content = true;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // CRLF: the '\n' ends the row.
    } else if (c == '\n' || c == '\r') {
      CHZ_TRY(end_row());
    } else {
      cell.push_back(c);
      has_content = true;
    }
  }
  if (quoted)
    return corrupt("a quoted CSV field opened in row " + std::to_string(quote_opened) +
                   " is never closed");
  if (has_content || !cell.empty()) CHZ_TRY(end_row());
  return t;
}

}  // namespace internal

namespace {

constexpr std::string_view kZipMagic = "PK\x03\x04";
constexpr std::string_view kOle2Magic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

// Text tables hold no control bytes but tab, CR and LF (a trailing DOS ^Z is
// tolerated). UTF-8 and GB18030 multi-byte sequences never use bytes < 0x30.
bool looks_like_text(std::string_view s) {
  if (!s.empty() && s.back() == '\x1A') s.remove_suffix(1);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F) return false;
  }
  return true;
}

Result<std::string> read_whole(const std::string& path, std::uint64_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f) std::fclose(f);
    return Error(f ? Code::kIoError : Code::kNotFound, "cannot open the table file", "registry.io");
  }
  in.seekg(0, std::ios::end);
  auto size = static_cast<std::streamoff>(in.tellg());
  if (size < 0) return Error(Code::kIoError, "cannot read the table file", "registry.io");
  if (static_cast<std::uint64_t>(size) > max_bytes)
    return internal::too_large("the file is larger than " + std::to_string(max_bytes >> 20) +
                               " MiB");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size))
    return Error(Code::kIoError, "cannot read the table file", "registry.io");
  return bytes;
}

}  // namespace

Result<Table> read_table_file(const std::string& path, const TableLimits& limits) {
  // Not CHZ_ASSIGN_OR_RETURN: GCC 12 warns (maybe-uninitialized) on the moved string.
  auto read = read_whole(path, limits.max_file_bytes);
  if (!read.ok()) return read.status();
  std::string_view b = *read;
  if (b.substr(0, kZipMagic.size()) == kZipMagic) return internal::read_xlsx_table(b, limits);
  if (b.substr(0, kOle2Magic.size()) == kOle2Magic) return internal::read_xls_table(path, limits);
  if (b.substr(0, 3) == "\xEF\xBB\xBF") b.remove_prefix(3);
  if (!looks_like_text(b))
    return Error(Code::kInvalidArgument,
                 "not a table file: expected XLSX, XLS or CSV (UTF-8 or GB18030)",
                 "registry.format");
  if (is_valid_utf8(b)) return internal::read_csv_table(b, limits);
  auto utf8 = content::gb18030_to_utf8(b);
  if (!utf8.ok())
    return Error(Code::kInvalidArgument, "the CSV file is neither UTF-8 nor GB18030 text",
                 "registry.encoding");
  return internal::read_csv_table(*utf8, limits);
}

}  // namespace chz::server
