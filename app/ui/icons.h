// The kiosk's pictograms: one SVG per action a trainee takes
// (app/ui/icons/*.svg, described in app/ui/icons/README.md), rendered to
// PNG at build time and compiled into the binary. The same action has the same picture on every
// screen: screens name a pictogram by its file name ("check_in", "exam", ...).
#pragma once

#include <span>
#include <string_view>

namespace chz::app {

struct IconEntry {
  std::string_view name;     // file name without .svg
  std::string_view png_96;   // rendered at build time, 96 x 96 px
  std::string_view png_256;  // and 256 x 256 px
};

// Every pictogram, sorted by name.
std::span<const IconEntry> icon_table();
// The PNG of `name` best drawn at `side` pixels (the smallest rendering at
// least that big, else the largest); "" when there is no such pictogram.
std::string_view icon_png(std::string_view name, float side);

}  // namespace chz::app
