#include "sync/protocol/cert_number.h"

#include <fmt/format.h>

namespace chz::sync {
namespace {
bool digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
}  // namespace

bool is_area_code(std::string_view s) {
  return s.size() == 6 && digits(s);
}

std::string cert_number_prefix(std::string_view area_code, int year, int device_number) {
  return fmt::format("{}-{:02}-{:03}-", area_code, year % 100, device_number);
}

Result<std::string> format_cert_number(std::string_view area_code, int year, int device_number,
                                       int serial) {
  if (!is_area_code(area_code))
    return Status(Code::kInvalidArgument,
                  fmt::format("area code \"{}\" is not six digits", area_code),
                  "cert.bad_area_code");
  if (year < 2000 || year > 2099)
    return Status(Code::kInvalidArgument, fmt::format("year {} is outside 2000-2099", year),
                  "cert.bad_year");
  if (device_number < 1 || device_number > kMaxDeviceNumber)
    return Status(Code::kInvalidArgument,
                  fmt::format("device number {} is outside 001-999", device_number),
                  "cert.bad_device_number");
  if (serial < 1 || serial > kMaxCertSerial)
    return Status(Code::kOutOfRange,
                  fmt::format("this kiosk has issued {} certificates in {}: the four-digit serial "
                              "is used up for the year; issue from another kiosk",
                              kMaxCertSerial, year),
                  "cert.serial_exhausted");
  return cert_number_prefix(area_code, year, device_number) + fmt::format("{:04}", serial);
}

bool is_short_cert_number(std::string_view s) {
  return s.size() == 18 && s[6] == '-' && s[9] == '-' && s[13] == '-' && digits(s.substr(0, 6)) &&
         digits(s.substr(7, 2)) && digits(s.substr(10, 3)) && digits(s.substr(14, 4));
}

std::string normalize_cert_number(std::string_view typed) {
  auto b = typed.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = typed.find_last_not_of(" \t\r\n");
  std::string_view t = typed.substr(b, e - b + 1);
  std::string d;
  for (char c : t) {
    if (c == '-' || c == ' ') continue;
    if (c < '0' || c > '9') return std::string(t);
    d.push_back(c);
  }
  if (d.size() != 15) return std::string(t);
  return d.substr(0, 6) + "-" + d.substr(6, 2) + "-" + d.substr(8, 3) + "-" + d.substr(11, 4);
}

}  // namespace chz::sync
