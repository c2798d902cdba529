// Spreadsheet files as the county receives them (CSV, XLSX, old XLS) read
// into rows of cells, before any meaning is given to a column. The format is
// decided by content, not by the file name: the zip magic "PK\3\4" is XLSX,
// the OLE2 magic D0 CF 11 E0 is XLS, text without control bytes is CSV.
//
// Every refusal is a Status with a key:
//   "registry.format"     not a spreadsheet we read (binary, .docx...);
//   "registry.encoding"   a text file neither UTF-8 nor GB18030;
//   "registry.too_large"  over TableLimits (file, inflated XLSX part, rows);
//   "registry.corrupt"    a broken zip, XML or XLS, an unclosed CSV quote;
//   "registry.io"         the file cannot be read (kNotFound / kIoError).
// Messages are English, for the operator, and never quote a cell.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace chz::server {

struct Cell {
  std::string text;      // UTF-8; for numbers the stored value ("5", "1.40521199001011E+17")
  bool numeric = false;  // true iff the file stored a number (XLSX/XLS); never for CSV
};

struct TableRow {
  int row = 0;              // 1-based, as the spreadsheet program numbers it
  std::vector<Cell> cells;  // column A first; absent cells are empty
};

struct Table {
  enum class Format { kCsv, kXlsx, kXls };
  Format format = Format::kCsv;
  // Rows in order. Rows the file does not hold (XLSX/XLS) or that are empty
  // lines (CSV) are left out, so rows[i].row may jump.
  std::vector<TableRow> rows;
};

struct TableLimits {
  std::uint64_t max_file_bytes = 64ull << 20;
  std::uint64_t max_part_bytes = 512ull << 20;  // one inflated XLSX part (sheet, strings)
  std::size_t max_rows = 1'000'000;
  std::size_t max_cells = 16'000'000;  // cell slots, so a sparse sheet cannot balloon
};

// Reads the first sheet of an XLSX/XLS, or a CSV (UTF-8 with or without BOM,
// else GB18030 converted to UTF-8; RFC 4180 quotes; CRLF or LF; tab-separated
// if the first line has tabs and no commas). Never throws, never crashes on
// a hostile file: see the keys above.
Result<Table> read_table_file(const std::string& path, const TableLimits& limits = {});

}  // namespace chz::server
