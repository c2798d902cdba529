// write_report_xlsx: a ReportTable through libxlsxwriter into a temp file,
// then renamed into place (report_table.h states the layout).
#include <sys/stat.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "common/crypto.h"
#include "common/fs.h"
#include "sync/server/internal/report_layout.h"
#include "sync/server/report_table.h"

namespace chz::server {

namespace {

constexpr lxw_row_t kHeaderRow = 3;  // 0-based; the pane is frozen below it
constexpr double kMinWidth = 6, kMaxWidth = 60, kMaxHeaderWidth = 16;
constexpr const char* kFont = "宋体";  // what bureau templates use

std::size_t type_index(ReportColumn::Type t) {
  return static_cast<std::size_t>(t);
}

// Every format the sheet uses, made once per workbook (libxlsxwriter owns them).
struct Formats {
  lxw_format* title;
  lxw_format* left;
  lxw_format* right;
  lxw_format* header;
  lxw_format* plain;                // notes and footer
  std::array<lxw_format*, 2> seq;   // [bold]
  std::array<lxw_format*, 8> cell;  // [type * 2 + bold]
  lxw_format* cell_for(ReportColumn::Type t, bool bold) const {
    return cell[type_index(t) * 2 + (bold ? 1 : 0)];
  }
};

lxw_format* new_format(lxw_workbook* wb) {
  lxw_format* f = workbook_add_format(wb);
  format_set_font_name(f, kFont);
  format_set_font_size(f, 11);
  return f;
}

Formats make_formats(lxw_workbook* wb) {
  Formats f{};
  f.title = new_format(wb);
  format_set_bold(f.title);
  format_set_font_size(f.title, 16);
  format_set_align(f.title, LXW_ALIGN_CENTER);
  format_set_align(f.title, LXW_ALIGN_VERTICAL_CENTER);
  f.left = new_format(wb);
  format_set_align(f.left, LXW_ALIGN_LEFT);
  f.right = new_format(wb);
  format_set_align(f.right, LXW_ALIGN_RIGHT);
  f.header = new_format(wb);
  format_set_bold(f.header);
  format_set_border(f.header, LXW_BORDER_THIN);
  format_set_text_wrap(f.header);
  format_set_align(f.header, LXW_ALIGN_CENTER);
  format_set_align(f.header, LXW_ALIGN_VERTICAL_CENTER);
  format_set_pattern(f.header, LXW_PATTERN_SOLID);
  format_set_bg_color(f.header, 0xD9D9D9);
  f.plain = new_format(wb);
  static constexpr const char* kNumFormats[] = {"@", "0", "0.0", "0.0%"};
  for (int bold = 0; bold < 2; ++bold) {
    lxw_format* s = new_format(wb);
    format_set_border(s, LXW_BORDER_THIN);
    format_set_align(s, LXW_ALIGN_CENTER);
    format_set_align(s, LXW_ALIGN_VERTICAL_CENTER);
    format_set_num_format(s, "0");
    if (bold) format_set_bold(s);
    f.seq[bold] = s;
    for (std::size_t t = 0; t < 4; ++t) {
      lxw_format* c = new_format(wb);
      format_set_border(c, LXW_BORDER_THIN);
      format_set_align(c, LXW_ALIGN_VERTICAL_CENTER);
      format_set_num_format(c, kNumFormats[t]);
      if (bold) format_set_bold(c);
      f.cell[t * 2 + bold] = c;
    }
  }
  return f;
}

// Writes into one sheet, keeping the first libxlsxwriter error.
class SheetWriter {
 public:
  SheetWriter(lxw_worksheet* ws, const Formats& f) : ws_(ws), f_(f) {}
  lxw_error error() const { return err_; }
  void keep(lxw_error e) {
    if (err_ == LXW_NO_ERROR) err_ = e;
  }
  // `text` across columns c0..c1 (merged if more than one).
  void span(lxw_row_t r, lxw_col_t c0, lxw_col_t c1, const std::string& text, lxw_format* fmt) {
    if (c1 > c0)
      keep(worksheet_merge_range(ws_, r, c0, r, c1, text.c_str(), fmt));
    else
      keep(worksheet_write_string(ws_, r, c0, text.c_str(), fmt));
  }
  // A text cell: always a string, never a formula, whatever it starts with.
  void text(lxw_row_t r, lxw_col_t c, const std::string& s, lxw_format* fmt) {
    keep(worksheet_write_string(ws_, r, c, s.c_str(), fmt));
  }
  void cell(lxw_row_t r, lxw_col_t c, const ReportCell& v, lxw_format* fmt) {
    double d = NAN;
    if (const auto* s = std::get_if<std::string>(&v)) return text(r, c, *s, fmt);
    if (const auto* i = std::get_if<std::int64_t>(&v)) d = static_cast<double>(*i);
    if (const auto* x = std::get_if<double>(&v)) d = *x;
    if (std::isfinite(d))
      keep(worksheet_write_number(ws_, r, c, d, fmt));
    else
      keep(worksheet_write_blank(ws_, r, c, fmt));
  }
  // A table row: the 序号 (if `seq` >= 0 or the row is the numbered total)
  // then one cell per column, padded with bordered blanks.
  void table_row(lxw_row_t r, const ReportTable& t, const std::vector<ReportCell>& cells, long seq,
                 bool bold) {
    lxw_col_t c = 0;
    if (t.numbered) {
      if (seq > 0)
        keep(worksheet_write_number(ws_, r, c, static_cast<double>(seq), f_.seq[bold]));
      else
        keep(worksheet_write_blank(ws_, r, c, f_.seq[bold]));
      ++c;
    }
    for (std::size_t i = 0; i < t.columns.size(); ++i, ++c) {
      lxw_format* fmt = f_.cell_for(t.columns[i].type, bold);
      cell(r, c, i < cells.size() ? cells[i] : ReportCell{}, fmt);
    }
  }

 private:
  lxw_worksheet* ws_;
  const Formats& f_;
  lxw_error err_ = LXW_NO_ERROR;
};

// Automatic widths: the widest cell (CJK counted double), the header
// counted up to kMaxHeaderWidth (it wraps), plus a margin.
std::vector<double> column_widths(const ReportTable& t) {
  using internal::display_width;
  auto automatic = [](double m) { return std::clamp(m + 2, kMinWidth, kMaxWidth); };
  std::vector<double> w;
  if (t.numbered)
    w.push_back(
        automatic(std::max(display_width("序号"), display_width(std::to_string(t.rows.size())))));
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const auto& col = t.columns[i];
    if (col.width > 0) {
      w.push_back(col.width);
      continue;
    }
    double m = std::min(display_width(col.title), kMaxHeaderWidth);
    auto measure = [&](const std::vector<ReportCell>& cells) {
      if (i < cells.size()) m = std::max(m, display_width(report_cell_text(cells[i], col.type)));
    };
    for (const auto& r : t.rows) measure(r);
    measure(t.total);
    w.push_back(automatic(m));
  }
  return w;
}

lxw_error fill_sheet(lxw_worksheet* ws, const Formats& f, const ReportTable& t) {
  using internal::labelled;
  SheetWriter out(ws, f);
  const auto ncols = static_cast<lxw_col_t>(internal::sheet_columns(t));
  const lxw_col_t last = ncols - 1;
  const auto rh = static_cast<lxw_col_t>(internal::right_half(ncols));

  auto widths = column_widths(t);
  for (lxw_col_t c = 0; c < ncols; ++c)
    out.keep(worksheet_set_column(ws, c, c, widths[c], nullptr));

  out.keep(worksheet_set_row(ws, 0, 30, nullptr));
  out.span(0, 0, last, t.title, f.title);
  auto meta = [&](lxw_row_t r, std::string left, std::string right) {
    out.span(r, 0, rh > 0 ? rh - 1 : 0, left, f.left);
    out.span(r, rh, std::max(rh, last), right, f.right);
  };
  meta(1, labelled("填报单位：", t.unit_name), labelled("填报日期：", t.filled_on));
  meta(2, labelled("统计时段：", t.period), labelled("单位：", t.units));

  lxw_col_t c = 0;
  if (t.numbered) out.text(kHeaderRow, c++, "序号", f.header);
  for (const auto& col : t.columns) out.text(kHeaderRow, c++, col.title, f.header);

  lxw_row_t r = kHeaderRow + 1;
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    out.table_row(r++, t, t.rows[i], static_cast<long>(i + 1), false);
  if (!t.total.empty()) out.table_row(r++, t, t.total, 0, true);
  // Notes overflow to the right over empty cells: no merge, which would clip.
  for (const auto& note : t.notes) out.text(r++, 0, note, f.plain);
  if (!t.footer.empty()) {
    ++r;  // the blank row
    auto footer = internal::footer_row(t);
    for (std::size_t i = 0; i < footer.size(); ++i) {
      if (footer[i].empty()) continue;
      std::size_t end = i + 1;  // merged up to the next item, room to sign
      while (end < footer.size() && footer[end].empty()) ++end;
      out.span(r, static_cast<lxw_col_t>(i), static_cast<lxw_col_t>(end - 1), footer[i], f.plain);
    }
  }

  worksheet_freeze_panes(ws, kHeaderRow + 1, 0);
  out.keep(worksheet_repeat_rows(ws, kHeaderRow, kHeaderRow));
  worksheet_set_paper(ws, 9);  // A4
  if (ncols > 8) worksheet_set_landscape(ws);
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_center_horizontally(ws);
  return out.error();
}

Status lxw_status(const char* what, lxw_error e) {
  return Error(Code::kInternal, std::string(what) + ": " + lxw_strerror(e));
}

}  // namespace

Status write_report_xlsx(const ReportTable& t, const std::string& path) {
  CHZ_TRY(check_report_table(t));
  if (path.empty()) return Error(Code::kInvalidArgument, "no path for the report");
  std::array<std::uint8_t, 6> rnd;
  random_bytes(rnd);
  const std::string tmp = path + ".tmp-" + hex(rnd);

  lxw_workbook* wb = workbook_new(tmp.c_str());
  if (!wb) return Error(Code::kInternal, "libxlsxwriter could not start a workbook");
  // Whatever happens, workbook_close frees the workbook (and writes tmp,
  // which goes again unless everything succeeded).
  Status st;
  const std::string name = t.sheet_name.empty() ? "统计表" : t.sheet_name;
  if (lxw_error e = workbook_validate_sheet_name(wb, name.c_str()); e != LXW_NO_ERROR) {
    st = Error(Code::kInvalidArgument,
               "sheet name \"" + name + "\" refused: " + std::string(lxw_strerror(e)));
  } else if (lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str()); !ws) {
    st = Error(Code::kInternal, "libxlsxwriter could not add the sheet");
  } else if (lxw_error e = fill_sheet(ws, make_formats(wb), t); e != LXW_NO_ERROR) {
    st = lxw_status("cannot fill the report sheet", e);
  }
  lxw_error closed = workbook_close(wb);
  if (st.ok() && closed != LXW_NO_ERROR) st = lxw_status(("cannot write " + path).c_str(), closed);
  if (st.ok() && ::chmod(tmp.c_str(), 0600) != 0)
    st = Error(Code::kIoError, "cannot chmod " + tmp + ": " + std::strerror(errno));
  if (st.ok()) st = fsync_file(tmp);
  if (st.ok() && std::rename(tmp.c_str(), path.c_str()) != 0)
    st = Error(Code::kIoError, "cannot rename into " + path + ": " + std::strerror(errno));
  if (!st.ok()) {
    std::remove(tmp.c_str());  // absent when libxlsxwriter could not create it
    return st;
  }
  auto dir = std::filesystem::path(path).parent_path();
  return fsync_dir(dir.empty() ? std::filesystem::path(".") : dir);
}

}  // namespace chz::server
