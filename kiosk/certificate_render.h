// Printable 培训合格证: an A4 landscape PDF (fonts embedded by cairo) and a
// PNG for the kiosk screen, drawn with cairo + pango. Text uses WenQuanYi
// Micro Hei with fontconfig fallback to HanaMin A/B, so rare name characters
// beyond the BMP (𠮷, CJK Extension B) print. The QR code carries the
// verifiable payload (sync/protocol/certificate.h).
#pragma once

#include <filesystem>
#include <string>

#include "common/status.h"
#include "kiosk/certificate_issue.h"

namespace chz::kiosk::exam {

inline constexpr const char* kCertificateFont = "WenQuanYi Micro Hei, HanaMinA, HanaMinB";

// Writes the PDF to `out` (replaced atomically). kIoError on failure.
Status render_certificate_pdf(const Certificate& c, const std::filesystem::path& out);
// Writes a PNG at `dpi` (96..600) to `out` (replaced atomically).
Status render_certificate_png(const Certificate& c, const std::filesystem::path& out,
                              int dpi = 150);
// The QR payload drawn as a PNG, `module_px` pixels per module, 4-module
// quiet zone. kInvalidArgument if the payload does not fit a QR code.
Status render_qr_png(const std::string& payload, const std::filesystem::path& out,
                     int module_px = 4);

}  // namespace chz::kiosk::exam
