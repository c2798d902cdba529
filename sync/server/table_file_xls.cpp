// XLS (BIFF 5/8 in an OLE2 container, Excel 97-2003 and WPS) through
// libfreexl, which returns text as UTF-8 whatever the file's code page.
#include <freexl.h>

#include <memory>

#include "sync/server/internal/table_file_formats.h"

namespace chz::server::internal {

namespace {

struct XlsCloser {
  void operator()(const void* h) const { freexl_close(h); }
};

std::string freexl_error(int rc) {
  switch (rc) {
    case FREEXL_INSUFFICIENT_MEMORY:
      return "out of memory";
    case FREEXL_INVALID_CFBF_HEADER:
    case FREEXL_CFBF_INVALID_SIGNATURE:
    case FREEXL_CFBF_INVALID_SECTOR_SIZE:
      return "the OLE2 container header is invalid";
    case FREEXL_CFBF_READ_ERROR:
    case FREEXL_CFBF_SEEK_ERROR:
      return "the file is truncated";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
      return "no Excel workbook inside the OLE2 container";
    case FREEXL_BIFF_ILLEGAL_SHEET_INDEX:
      return "the workbook has no sheet";
    case FREEXL_CRAFTED_FILE:
      return "the file is severely corrupted";
    default:
      return "libfreexl error " + std::to_string(rc);
  }
}

}  // namespace

Result<Table> read_xls_table(const std::string& path, const TableLimits& limits) {
  const void* raw = nullptr;
  int rc = freexl_open(path.c_str(), &raw);
  std::unique_ptr<const void, XlsCloser> h(raw);
  if (rc != FREEXL_OK) return corrupt("not a readable XLS: " + freexl_error(rc));
  if ((rc = freexl_select_active_worksheet(raw, 0)) != FREEXL_OK)
    return corrupt("not a readable XLS: " + freexl_error(rc));
  unsigned int rows = 0;
  unsigned short cols = 0;
  if ((rc = freexl_worksheet_dimensions(raw, &rows, &cols)) != FREEXL_OK)
    return corrupt("not a readable XLS: " + freexl_error(rc));
  if (rows > limits.max_rows)
    return too_large("more than " + std::to_string(limits.max_rows) + " rows");
  Table t;
  t.format = Table::Format::kXls;
  std::size_t slots = 0;
  for (unsigned int r = 0; r < rows; ++r) {
    TableRow tr;
    tr.row = static_cast<int>(r) + 1;
    for (unsigned short c = 0; c < cols; ++c) {
      FreeXL_CellValue v;
      if ((rc = freexl_get_cell_value(raw, r, c, &v)) != FREEXL_OK)
        return corrupt("an XLS cell is unreadable: " + freexl_error(rc));
      Cell cell;
      switch (v.type) {
        case FREEXL_CELL_INT:
          cell = {std::to_string(v.value.int_value), true};
          break;
        case FREEXL_CELL_DOUBLE:
          cell = {number_text(v.value.double_value), true};
          break;
        case FREEXL_CELL_TEXT:
        case FREEXL_CELL_SST_TEXT:
        case FREEXL_CELL_DATE:  // "YYYY-MM-DD"
        case FREEXL_CELL_DATETIME:
        case FREEXL_CELL_TIME:
          cell.text = v.value.text_value ? v.value.text_value : "";
          break;
        default:
          continue;
      }
      if (cell.text.empty()) continue;
      if (c >= tr.cells.size()) {
        slots += c + 1u - tr.cells.size();
        if (slots > limits.max_cells) return too_large("the XLS sheet has too many cells");
        tr.cells.resize(c + 1u);
      }
      tr.cells[c] = std::move(cell);
    }
    if (!tr.cells.empty()) t.rows.push_back(std::move(tr));
  }
  return t;
}

}  // namespace chz::server::internal
