// Time-ordered UUIDs (RFC 9562 version 7): 48-bit UTC ms, version, 74 bits of
// randomness. Sorting the text sorts by creation time (to the millisecond).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace chz {

using Uuid = std::array<std::uint8_t, 16>;

Uuid uuid_v7(std::int64_t unix_ms);
// "0190a1b2-...": lower-case canonical form.
std::string uuid_text(const Uuid& u);
Result<Uuid> parse_uuid(std::string_view s);
inline std::string new_uuid_text(std::int64_t unix_ms) {
  return uuid_text(uuid_v7(unix_ms));
}

}  // namespace chz
