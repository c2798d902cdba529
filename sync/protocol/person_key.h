// A person's identity across devices: HMAC-SHA256 of the upper-cased ID
// number under the county key delivered at enrollment. Two kiosks
// registering the same person offline derive the same key, so after sync
// they hold one person, never two; the key reveals nothing without the
// county key.
#pragma once

#include <string>
#include <string_view>

#include "common/crypto.h"

namespace chz::sync {

// 64 lower-case hex characters. `id_number` is upper-cased first (a trailing
// 'x' and 'X' give the same key); callers validate it with parse_id_number.
std::string person_key(const Key32& county_key, std::string_view id_number);

// True iff `s` looks like a person key (64 lower-case hex characters).
bool is_person_key(std::string_view s);

}  // namespace chz::sync
