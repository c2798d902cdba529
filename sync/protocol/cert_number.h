// The short certificate number (docs/decisions/identity-and-certificates.md
// part 2, item 1): `<county area code 6><year 2><device number 3><serial 4>`,
// stored, signed and printed in groups, "140521-26-017-0042". The device
// number (001-999) is the county's, given at enrollment; the serial counts
// per device per China-time (UTC+8) year of the issue date, 0001-9999.
// Two kiosks never make the same number, with no network.
//
// Kiosks enrolled before the county sent an area code and a device number
// keep the old form `<site code>-<device hex>-<6-digit serial>`; every
// reader accepts both (normalize_cert_number). Pure code, no I/O.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace chz::sync {

inline constexpr int kMaxDeviceNumber = 999;
inline constexpr int kMaxCertSerial = 9999;

// True iff `s` is six ASCII digits (a 行政区划代码 such as "140521").
bool is_area_code(std::string_view s);

// "140521-26-017-0042". Refuses an area code that is not six digits, a
// year outside 2000-2099, a device number outside 1-999 and a serial
// outside 1-9999 (cert.serial_exhausted for the 10,000th of a year).
Result<std::string> format_cert_number(std::string_view area_code, int year, int device_number,
                                       int serial);

// The grouped prefix of one device's numbers in one year, "140521-26-017-":
// a number of that device and year is this plus four digits.
std::string cert_number_prefix(std::string_view area_code, int year, int device_number);

// True iff `s` is a short number in its grouped, stored form.
bool is_short_cert_number(std::string_view s);

// A number as someone typed it, in the form it is stored: surrounding
// spaces dropped; fifteen digits with or without dashes or spaces
// ("140521260170042", "140521 26 017 0042") become the grouped form;
// anything else (an old-format number) is returned trimmed, unchanged.
std::string normalize_cert_number(std::string_view typed);

}  // namespace chz::sync
