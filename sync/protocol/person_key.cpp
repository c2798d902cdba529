#include "sync/protocol/person_key.h"

namespace chz::sync {

std::string person_key(const Key32& county_key, std::string_view id_number) {
  std::string up(id_number);
  for (char& c : up)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return hex(hmac_sha256(county_key, as_bytes(up)));
}

bool is_person_key(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace chz::sync
