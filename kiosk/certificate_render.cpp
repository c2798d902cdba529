#include "kiosk/certificate_render.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <fmt/format.h>

#include <memory>
#include <vector>

#include "common/clock.h"
#include "common/fs.h"

namespace chz::kiosk::exam {

namespace {

constexpr double kPageW = 842, kPageH = 595;  // A4 landscape, points

struct QrDeleter {
  void operator()(QRcode* q) const { QRcode_free(q); }
};
using QrPtr = std::unique_ptr<QRcode, QrDeleter>;

Result<QrPtr> encode_qr(const std::string& payload) {
  QRcode* q =
      QRcode_encodeData(static_cast<int>(payload.size()),
                        reinterpret_cast<const unsigned char*>(payload.data()), 0, QR_ECLEVEL_M);
  if (!q) return Status(Code::kInvalidArgument, "the certificate payload does not fit a QR code");
  return QrPtr(q);
}

// Draws modules into the square [x, y, size] (quiet zone included).
void draw_qr(cairo_t* cr, const QRcode& q, double x, double y, double size) {
  int n = q.width + 8;
  double m = size / n;
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, y, size, size);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int r = 0; r < q.width; ++r)
    for (int c = 0; c < q.width; ++c)
      if (q.data[r * q.width + c] & 1)
        cairo_rectangle(cr, x + (c + 4) * m, y + (r + 4) * m, m + 0.01, m + 0.01);
  cairo_fill(cr);
}

void text(cairo_t* cr, const std::string& s, double x, double y, double pt, double width = -1,
          PangoAlignment align = PANGO_ALIGN_LEFT, bool bold = false) {
  PangoLayout* layout = pango_cairo_create_layout(cr);
  PangoFontDescription* fd = pango_font_description_from_string(kCertificateFont);
  pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
  if (bold) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description(layout, fd);
  if (width > 0) {
    pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  }
  pango_layout_set_alignment(layout, align);
  pango_layout_set_text(layout, s.c_str(), -1);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout);
  pango_font_description_free(fd);
  g_object_unref(layout);
}

Status draw_page(cairo_t* cr, const Certificate& c) {
  CHZ_ASSIGN_OR_RETURN(QrPtr qr, encode_qr(c.qr_text.empty() ? c.qr : c.qr_text));
  const auto& d = c.data;
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  // Double frame in 中国红.
  cairo_set_source_rgb(cr, 0.72, 0.11, 0.11);
  cairo_set_line_width(cr, 4);
  cairo_rectangle(cr, 18, 18, kPageW - 36, kPageH - 36);
  cairo_stroke(cr);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, 26, 26, kPageW - 52, kPageH - 52);
  cairo_stroke(cr);
  text(cr, "培训合格证", 0, 48, 40, kPageW, PANGO_ALIGN_CENTER, true);
  cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
  text(cr, "Training Certificate · 人人持证、技能社会", 0, 104, 13, kPageW, PANGO_ALIGN_CENTER);
  cairo_set_source_rgb(cr, 0, 0, 0);
  struct Row {
    const char* label;
    std::string value;
  };
  std::string status = c.status;
  if (!c.qual_number.empty()) status += fmt::format("（{} {}）", c.qual_kind, c.qual_number);
  const Row rows[] = {
      {"证书编号", d.number},
      {"姓    名", d.name},
      {"身份证号", d.id_masked},
      {"职业(工种)", d.occupation},
      {"等    级", d.level},
      {"培训学时", fmt::format("{} 学时", d.hours)},
      {"理论成绩", d.theory_score + " 分"},
      {"实操成绩", d.practical_score + " 分"},
      {"发证日期", d.date},
      {"发证培训点", d.site_name.empty() ? d.site_id : d.site_name},
      {"状    态", status},
  };
  double y = 150;
  for (const auto& r : rows) {
    text(cr, r.label, 80, y, 16, 130);
    text(cr, r.value, 220, y, r.label == rows[1].label ? 20 : 16, 330, PANGO_ALIGN_LEFT,
         r.label == rows[1].label);
    y += r.label == rows[1].label ? 33 : 30;
  }
  double qs = 210;
  draw_qr(cr, *qr, kPageW - 80 - qs, 170, qs);
  text(cr, "扫码离线验证 / scan to verify", kPageW - 80 - qs, 170 + qs + 6, 11, qs,
       PANGO_ALIGN_CENTER);
  cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
  text(cr,
       fmt::format("本证由终端 {} 签发，以 Ed25519 数字签名（密钥 {}）；经县人社局确认后生效。",
                   d.device_id, d.key_id),
       60, kPageH - 70, 10, kPageW - 120, PANGO_ALIGN_CENTER);
  return OkStatus();
}

cairo_status_t collect(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

Status cairo_failed(cairo_status_t st, const char* what) {
  return Status(Code::kIoError, fmt::format("{}: {}", what, cairo_status_to_string(st)));
}

}  // namespace

Status render_certificate_pdf(const Certificate& c, const std::filesystem::path& out) {
  std::string bytes;
  cairo_surface_t* surf = cairo_pdf_surface_create_for_stream(collect, &bytes, kPageW, kPageH);
  cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE,
                                 ("培训合格证 " + c.data.number).c_str());
  cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "Chizheng 持证");
  cairo_t* cr = cairo_create(surf);
  Status st = draw_page(cr, c);
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surf);
  cairo_status_t cs = cairo_surface_status(surf);
  cairo_surface_destroy(surf);
  CHZ_TRY(st);
  if (cs != CAIRO_STATUS_SUCCESS) return cairo_failed(cs, "PDF rendering failed");
  return write_file_atomic(out, bytes, 0644);
}

Status render_certificate_png(const Certificate& c, const std::filesystem::path& out, int dpi) {
  if (dpi < 96 || dpi > 600) return Status(Code::kInvalidArgument, "dpi must be 96..600");
  double scale = dpi / 72.0;
  cairo_surface_t* surf = cairo_image_surface_create(
      CAIRO_FORMAT_RGB24, static_cast<int>(kPageW * scale), static_cast<int>(kPageH * scale));
  cairo_t* cr = cairo_create(surf);
  cairo_scale(cr, scale, scale);
  Status st = draw_page(cr, c);
  cairo_destroy(cr);
  std::string bytes;
  cairo_status_t cs =
      st.ok() ? cairo_surface_write_to_png_stream(surf, collect, &bytes) : CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(surf);
  CHZ_TRY(st);
  if (cs != CAIRO_STATUS_SUCCESS) return cairo_failed(cs, "PNG rendering failed");
  return write_file_atomic(out, bytes, 0644);
}

Status render_qr_png(const std::string& payload, const std::filesystem::path& out, int module_px) {
  CHZ_ASSIGN_OR_RETURN(QrPtr qr, encode_qr(payload));
  int size = (qr->width + 8) * module_px;
  cairo_surface_t* surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, size, size);
  cairo_t* cr = cairo_create(surf);
  draw_qr(cr, *qr, 0, 0, size);
  cairo_destroy(cr);
  std::string bytes;
  cairo_status_t cs = cairo_surface_write_to_png_stream(surf, collect, &bytes);
  cairo_surface_destroy(surf);
  if (cs != CAIRO_STATUS_SUCCESS) return cairo_failed(cs, "QR rendering failed");
  return write_file_atomic(out, bytes, 0644);
}

}  // namespace chz::kiosk::exam
