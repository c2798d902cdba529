// The per-format readers behind read_table_file (sync/server/table_file.h).
// Internal: only table_file*.cpp include this.
#pragma once

#include <string>
#include <string_view>

#include "sync/server/table_file.h"

namespace chz::server::internal {

// kInvalidArgument "registry.corrupt" with `what`.
Status corrupt(std::string what);
// kTooLarge "registry.too_large" with `what`.
Status too_large(std::string what);

// The bytes of an XLSX (zip) file: its first sheet.
Result<Table> read_xlsx_table(std::string_view bytes, const TableLimits& limits);
// An XLS (BIFF in OLE2) file by path (libfreexl reads from a path): its first sheet.
Result<Table> read_xls_table(const std::string& path, const TableLimits& limits);
// CSV/TSV bytes, any encoding handled by read_table_file.
Result<Table> read_csv_table(std::string_view bytes, const TableLimits& limits);

// A number as text: integer values below 1e15 without decimals ("5", not
// "5.0"), anything else in %.15g form ("0.5", "1.40521199001011e+17").
std::string number_text(double v);

}  // namespace chz::server::internal
