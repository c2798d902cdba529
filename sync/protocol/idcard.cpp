#include "sync/protocol/idcard.h"

#include <array>

namespace chz::sync {

namespace {

constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kCheckChars = "10X98765432";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Province-level codes (first two digits) in use on ID numbers, including
// Hong Kong, Macao and Taiwan residence permits (81, 82, 83).
bool is_province_code(int p) {
  return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
         (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
         p == 81 || p == 82 || p == 83;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

int num(std::string_view s, size_t at, size_t n) {
  int v = 0;
  for (size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

}  // namespace

char id_check_char(std::string_view first17) {
  int sum = 0;
  for (size_t i = 0; i < 17 && i < first17.size(); ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckChars[static_cast<size_t>(sum % 11)];
}

Result<IdCard> parse_id_number(std::string_view in) {
  std::string_view s = trim(in);
  if (s.size() != 18)
    return Status(Code::kInvalidArgument, "an ID number has 18 characters", "id.length");
  std::string n(s);
  if (n[17] == 'x') n[17] = 'X';
  for (size_t i = 0; i < 17; ++i)
    if (!is_digit(n[i]))
      return Status(Code::kInvalidArgument, "the first 17 characters of an ID number are digits",
                    "id.chars");
  if (!is_digit(n[17]) && n[17] != 'X')
    return Status(Code::kInvalidArgument, "the last character of an ID number is a digit or X",
                  "id.chars");
  if (!is_province_code(num(n, 0, 2)) || num(n, 2, 4) == 0)
    return Status(Code::kInvalidArgument, "the ID number has no valid region code", "id.region");
  CivilDate birth{num(n, 6, 4), num(n, 10, 2), num(n, 12, 2)};
  if (birth.year < 1900 || !is_valid_date(birth))
    return Status(Code::kInvalidArgument, "the ID number's birth date is not a real date",
                  "id.birth_date");
  if (id_check_char(n) != n[17])
    return Status(Code::kInvalidArgument, "the ID number's check character does not match",
                  "id.check_digit");
  IdCard card;
  card.region = n.substr(0, 6);
  card.birth = birth;
  card.gender = (n[16] - '0') % 2 == 1 ? Gender::kMale : Gender::kFemale;
  card.number = std::move(n);
  return card;
}

Result<std::string> upgrade_id15(std::string_view in) {
  std::string_view s = trim(in);
  if (s.size() != 15)
    return Status(Code::kInvalidArgument, "an old ID number has 15 digits", "id.length");
  for (char c : s)
    if (!is_digit(c))
      return Status(Code::kInvalidArgument, "an old ID number holds digits only", "id.chars");
  std::string n = std::string(s.substr(0, 6)) + "19" + std::string(s.substr(6));
  n += id_check_char(n);
  auto card = parse_id_number(n);
  if (!card.ok()) return card.status();
  return card->number;
}

std::string mask_id_number(std::string_view id) {
  if (id.size() != 18) return std::string(id.size(), '*');
  return std::string(id.substr(0, 4)) + std::string(10, '*') + std::string(id.substr(14));
}

Result<std::string> parse_phone(std::string_view in) {
  std::string d;
  for (char c : trim(in)) {
    if (c == ' ' || c == '-') continue;
    if (!is_digit(c))
      return Status(Code::kInvalidArgument, "a phone number holds digits only", "phone.invalid");
    d += c;
  }
  if (d.size() != 11 || d[0] != '1' || d[1] < '3')
    return Status(Code::kInvalidArgument, "a mobile number has 11 digits and starts with 13-19",
                  "phone.invalid");
  return d;
}

std::string mask_phone(std::string_view p) {
  if (p.size() != 11) return std::string(p.size(), '*');
  return std::string(p.substr(0, 3)) + "****" + std::string(p.substr(7));
}

}  // namespace chz::sync
