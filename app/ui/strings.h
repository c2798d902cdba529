// The one string table of the kiosk UI: zh-CN first, English second,
// switchable at runtime. Status keys from the core (e.g. "id.check_digit")
// are entries here too, so a refusal reads as words a trainee understands.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace chz::app {

enum class Lang { kZh, kEn };

struct StringEntry {
  std::string_view key;
  std::string_view zh;
  std::string_view en;
};

// Every entry, in table order (glyph sets and tests walk it).
std::span<const StringEntry> string_table();
// The text for `key` in `lang`; the key itself when it is missing (a test
// makes sure none is).
std::string_view tr(Lang lang, std::string_view key);
// True iff the table has `key`.
bool has_string(std::string_view key);
// tr() with "{}" placeholders filled in order.
std::string trf(Lang lang, std::string_view key, std::string_view a, std::string_view b = {},
                std::string_view c = {});

}  // namespace chz::app
