// The kiosk's pictograms: one SVG per action a trainee takes
// (app/ui/icons/*.svg, described in app/ui/icons/README.md), compiled into
// the binary. The same action has the same picture on every screen:
// screens name a pictogram by its file name ("check_in", "exam", ...).
#pragma once

#include <span>
#include <string_view>

namespace chz::app {

struct IconEntry {
  std::string_view name;  // file name without .svg
  std::string_view svg;   // the file's text
};

// Every pictogram, sorted by name.
std::span<const IconEntry> icon_table();
// The SVG text of `name`, "" when there is no such pictogram.
std::string_view icon_svg(std::string_view name);

}  // namespace chz::app
