#include "app/ui/utf8.h"

#include "common/utf8.h"

namespace chz::app {

std::vector<char32_t> utf8_decode(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    bool bad = false;
    for (int k = 1; k < len; ++k) {
      auto cb = static_cast<unsigned char>(s[i + k]);
      if ((cb & 0xC0) != 0x80) bad = true;
      c = (c << 6) | (cb & 0x3F);
    }
    if (bad || c > 0x10FFFF) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(c);
    i += len;
  }
  return out;
}

std::string utf8_encode(char32_t c) {
  std::string o;
  append_utf8(o, c);
  return o;
}

std::string utf8_pop_back(std::string_view s) {
  if (s.empty()) return {};
  std::size_t i = s.size() - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return std::string(s.substr(0, i));
}

void GlyphSet::add_text(std::string_view utf8) {
  for (char32_t c : utf8_decode(utf8)) {
    if (c >= 0x20) cps_.insert(c);
  }
}

std::vector<std::uint16_t> GlyphSet::bmp_ranges() const {
  std::vector<std::uint16_t> r = {0x20, 0x7E};
  for (char32_t c : cps_) {
    if (c <= 0x7E || beyond_bmp(c)) continue;
    auto u = static_cast<std::uint16_t>(c);
    if (r.back() + 1 == u) {
      r.back() = u;
    } else {
      r.push_back(u);
      r.push_back(u);
    }
  }
  r.push_back(0);
  return r;
}

std::vector<char32_t> GlyphSet::beyond_bmp_members() const {
  std::vector<char32_t> v;
  for (char32_t c : cps_)
    if (beyond_bmp(c)) v.push_back(c);
  return v;
}

}  // namespace chz::app
