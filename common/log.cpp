#include "common/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <algorithm>

namespace chz {

void init_logging(const std::string& level, const std::string& file) {
  std::shared_ptr<spdlog::logger> l;
  if (file.empty())
    l = spdlog::stderr_color_mt("chz");
  else
    l = spdlog::basic_logger_mt("chz", file);
  l->set_level(spdlog::level::from_str(level));
  l->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  spdlog::set_default_logger(l);
}

namespace {
// Length of the valid UTF-8 sequence at s[i], or 0 (overlong forms,
// surrogates and code points above U+10FFFF are invalid).
std::size_t utf8_len(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  unsigned c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if ((c == 0xE0 && b(1) < 0xA0) || (c == 0xED && b(1) > 0x9F)) return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if ((c == 0xF0 && b(1) < 0x90) || (c == 0xF4 && b(1) > 0x8F)) return 0;
    return 4;
  }
  return 0;
}
void append_escaped(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 15];
}
}  // namespace

std::string log_field(std::string_view s, std::size_t max) {
  std::string out;
  std::size_t shown = std::min(s.size(), max);
  out.reserve(shown + 16);
  for (std::size_t i = 0; i < shown;) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = utf8_len(s, i);
    bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0;  // U+0080..9F
    if (n == 0 || c < 0x20 || c == 0x7F || c == '\\' || c1 || i + n > shown) {
      append_escaped(out, c);
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  if (s.size() > shown) out += "...(" + std::to_string(s.size()) + " bytes)";
  return out;
}

}  // namespace chz
