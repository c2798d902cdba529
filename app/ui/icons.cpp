#include "app/ui/icons.h"

#include <algorithm>

namespace chz::app {

std::string_view icon_svg(std::string_view name) {
  auto t = icon_table();
  auto it = std::lower_bound(t.begin(), t.end(), name,
                             [](const IconEntry& e, std::string_view n) { return e.name < n; });
  return it != t.end() && it->name == name ? it->svg : std::string_view();
}

}  // namespace chz::app
