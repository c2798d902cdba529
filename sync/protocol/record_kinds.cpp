#include "sync/protocol/record_kinds.h"

#include <charconv>

#include "common/crypto.h"

namespace chz::sync::kinds {

bool is_fact(std::string_view k) {
  return !is_mutable(k) && k != kTombstone;
}

bool is_mutable(std::string_view k) {
  return k == kPerson || k == kStaff || k == kCourse || k == kClass || k == kSession ||
         k == kEnrolment;
}

std::string_view entity_kind(std::string_view e) {
  auto c = e.find(':');
  return c == std::string_view::npos ? std::string_view{} : e.substr(0, c);
}

std::string_view entity_id(std::string_view e) {
  auto c = e.find(':');
  return c == std::string_view::npos ? std::string_view{} : e.substr(c + 1);
}

std::string entity(std::string_view kind, std::string_view id) {
  std::string s(kind);
  s += ':';
  s += id;
  return s;
}

std::string hash_staff_secret(std::string_view secret, int iterations) {
  std::array<std::uint8_t, 16> salt;
  random_bytes(salt);
  Key32 h = pbkdf2_sha256(secret, salt, iterations);
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + hex(salt) + "$" + hex(h);
}

bool verify_staff_secret(std::string_view stored, std::string_view secret) {
  constexpr std::string_view kPrefix = "pbkdf2-sha256$";
  if (stored.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view rest = stored.substr(kPrefix.size());
  auto d1 = rest.find('$');
  if (d1 == std::string_view::npos) return false;
  auto d2 = rest.find('$', d1 + 1);
  if (d2 == std::string_view::npos) return false;
  int iterations = 0;
  auto r = std::from_chars(rest.data(), rest.data() + d1, iterations);
  if (r.ec != std::errc() || r.ptr != rest.data() + d1 || iterations < 1 || iterations > 10'000'000)
    return false;
  auto salt = unhex(rest.substr(d1 + 1, d2 - d1 - 1));
  auto want = unhex(rest.substr(d2 + 1));
  if (!salt.ok() || !want.ok() || want->size() != 32) return false;
  Key32 got = pbkdf2_sha256(secret, *salt, iterations);
  return equal_ct(got, *want);
}

}  // namespace chz::sync::kinds
