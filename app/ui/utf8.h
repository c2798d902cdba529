// UTF-8 helpers for the UI: decoding to code points and the set of code
// points a screen needs (the font atlas is built from it, never from a whole
// Unicode block). Pure code, no ImGui or SDL.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace chz::app {

// Decodes `s`; malformed bytes become U+FFFD, never an error.
std::vector<char32_t> utf8_decode(std::string_view s);
// Encodes one code point.
std::string utf8_encode(char32_t c);
// Drops the last code point of `s` (for a keypad's delete key).
std::string utf8_pop_back(std::string_view s);
// True when `c` lies outside the Basic Multilingual Plane (Debian's ImGui
// draws only the BMP; such characters go through SDL_ttf).
inline bool beyond_bmp(char32_t c) {
  return c > 0xFFFF;
}

// The characters the UI must be able to draw.
class GlyphSet {
 public:
  void add_text(std::string_view utf8);
  void add(char32_t c) { cps_.insert(c); }
  bool contains(char32_t c) const { return cps_.count(c) != 0; }
  std::size_t size() const { return cps_.size(); }
  // ImGui glyph ranges for the BMP members: pairs [lo, hi], then 0.
  // Always includes printable ASCII so Latin text never misses.
  std::vector<std::uint16_t> bmp_ranges() const;
  // Members beyond the BMP, ascending.
  std::vector<char32_t> beyond_bmp_members() const;

 private:
  std::set<char32_t> cps_;
};

}  // namespace chz::app
