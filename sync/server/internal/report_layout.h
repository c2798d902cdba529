// Internal to the report writers (report_table.cpp, report_table_xlsx.cpp):
// the layout both the XLSX and the CSV follow, so the two never drift.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sync/server/report_table.h"

namespace chz::server::internal {

// "填报单位：" + value, or value as it is if it already starts with the
// label; "" for an empty value.
std::string labelled(std::string_view label, const std::string& value);

// The sheet's column count: the table's columns, +1 for 序号 if numbered.
std::size_t sheet_columns(const ReportTable& t);
// Where the right-hand header values start (XLSX merges them from here to
// the last column): the second half of the sheet, at least column 1.
std::size_t right_half(std::size_t ncols);
// The footer as one sheet row of sheet_columns(t) cells: item i of n in
// column ceil(i*ncols/n), spread evenly from column 0 (the XLSX merges each
// up to the next, so the first, beside the narrow 序号, gets room too); with
// more items than columns, all of them joined by spaces in column 0.
std::vector<std::string> footer_row(const ReportTable& t);

// Display width in Excel's character units: a CJK or fullwidth character
// counts 2, anything else 1.
double display_width(std::string_view utf8);

}  // namespace chz::server::internal
