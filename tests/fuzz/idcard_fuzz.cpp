// ID numbers (居民身份证号码) and phone numbers as typed at the kiosk or read
// from a registry: parse_id_number, upgrade_id15, parse_phone and their
// masks. Checks what the header promises: a parsed number is 18 characters
// whose check character matches, re-parses to itself, and no refusal's
// message holds the digits it was given.
#include <string>

#include "sync/protocol/idcard.h"
#include "tests/fuzz/fuzz_util.h"

using namespace chz;

namespace {
// The longest run of digits in `s` (what a message must never repeat).
std::string_view longest_digits(std::string_view s) {
  std::string_view best;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j - i > best.size()) best = s.substr(i, j - i);
    i = j == i ? i + 1 : j;
  }
  return best;
}
void check_message_hides(const Status& st, std::string_view input) {
  std::string_view digits = longest_digits(input);
  if (digits.size() >= 8) FUZZ_CHECK(st.message().find(digits) == std::string::npos);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s = fuzz::as_view(data, size);
  auto id = sync::parse_id_number(s);
  if (id.ok()) {
    FUZZ_CHECK(id->number.size() == 18);
    FUZZ_CHECK(id->region == id->number.substr(0, 6));
    FUZZ_CHECK(sync::id_check_char(std::string_view(id->number).substr(0, 17)) == id->number[17]);
    auto again = sync::parse_id_number(id->number);
    FUZZ_CHECK(again.ok() && again->number == id->number && again->gender == id->gender);
    std::string masked = sync::mask_id_number(id->number);
    FUZZ_CHECK(masked.size() == 18 && masked.substr(4, 10) == std::string(10, '*'));
  } else {
    FUZZ_CHECK(id.status().key().starts_with("id."));
    check_message_hides(id.status(), s);
  }
  auto up = sync::upgrade_id15(s);
  if (up.ok()) {
    auto full = sync::parse_id_number(*up);
    FUZZ_CHECK(full.ok() && full->number == *up);
  } else {
    check_message_hides(up.status(), s);
  }
  (void)sync::mask_id_number(s);
  auto phone = sync::parse_phone(s);
  if (phone.ok()) {
    FUZZ_CHECK(phone->size() == 11 && (*phone)[0] == '1');
    FUZZ_CHECK(sync::parse_phone(*phone).ok());
    FUZZ_CHECK(sync::mask_phone(*phone).size() == 11);
  }
  (void)sync::mask_phone(s);
  return 0;
}
