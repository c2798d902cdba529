// Resident ID numbers (居民身份证号码, GB 11643-1999): 6-digit region code,
// 8-digit birth date (YYYYMMDD), 3-digit sequence (odd = male), and a mod
// 11-2 check character ('0'-'9' or 'X'). Pure code: the kiosk and the county
// server must agree on every number exactly. Nothing here logs.
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"

namespace chz::sync {

enum class Gender { kMale, kFemale };

struct IdCard {
  std::string number;  // 18 characters, upper-case 'X'
  std::string region;  // first 6 digits
  CivilDate birth;
  Gender gender = Gender::kMale;
};

// The check character for the first 17 digits (which must be digits).
char id_check_char(std::string_view first17);

// Validates `s` (surrounding spaces ignored, a lower-case 'x' accepted) and
// returns the normalised number with its birth date and gender. Each failure
// is kInvalidArgument with its own Status key for the UI:
//   "id.length" (not 18 characters), "id.chars" (a non-digit among the first
//   17, or a last character other than a digit or X), "id.region" (no
//   province code), "id.birth_date" (not a real calendar date, or before
//   1900), "id.check_digit" (the check character does not match).
// The message never contains the number itself.
Result<IdCard> parse_id_number(std::string_view s);

// Upgrades a first-generation 15-digit number (6 region + YYMMDD + 3
// sequence, issued before 2000, so the year is 19YY) to its 18-character
// form: "19" goes before YYMMDD and the check character is appended.
// Surrounding spaces are ignored. kInvalidArgument "id.length" if `s` is not
// 15 characters, "id.chars" if they are not all digits, and any refusal of
// parse_id_number on the result (region, birth date). Never holds the number
// in a message.
Result<std::string> upgrade_id15(std::string_view s);

// "1405**********123X": first 4 and last 4 characters kept. Anything not 18
// characters long is masked whole.
std::string mask_id_number(std::string_view id);

// Mainland mobile numbers: 11 digits starting with 1[3-9]. "id"-style keys:
// "phone.invalid". Returns the digits only (spaces and dashes dropped).
Result<std::string> parse_phone(std::string_view s);
// "138****5678".
std::string mask_phone(std::string_view phone);

}  // namespace chz::sync
