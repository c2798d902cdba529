#include "common/uuid.h"

#include "common/crypto.h"

namespace chz {

Uuid uuid_v7(std::int64_t unix_ms) {
  Uuid u;
  random_bytes(u);
  auto ms = static_cast<std::uint64_t>(unix_ms);
  for (int i = 0; i < 6; ++i)
    u[static_cast<size_t>(i)] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
  u[6] = static_cast<std::uint8_t>(0x70 | (u[6] & 0x0f));
  u[8] = static_cast<std::uint8_t>(0x80 | (u[8] & 0x3f));
  return u;
}

std::string uuid_text(const Uuid& u) {
  std::string h = hex(u);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

Result<Uuid> parse_uuid(std::string_view s) {
  if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
    return Status(Code::kInvalidArgument, "not a UUID");
  std::string h;
  for (char c : s)
    if (c != '-') h.push_back(c);
  auto b = unhex(h);
  if (!b.ok()) return Status(Code::kInvalidArgument, "not a UUID");
  Uuid u;
  std::copy(b->begin(), b->end(), u.begin());
  return u;
}

}  // namespace chz
