#include "app/ui/icons.h"

#include <algorithm>

namespace chz::app {

std::string_view icon_png(std::string_view name, float side) {
  auto t = icon_table();
  auto it = std::lower_bound(t.begin(), t.end(), name,
                             [](const IconEntry& e, std::string_view n) { return e.name < n; });
  if (it == t.end() || it->name != name) return {};
  return side <= 96 ? it->png_96 : it->png_256;
}

}  // namespace chz::app
