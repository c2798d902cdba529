#include "common/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "common/clock.h"
#include "common/utf8.h"

namespace chz {

namespace {
void append_escaped(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 15];
}

// True if log_field would change `s` (the common case is plain ASCII).
bool needs_escape(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F || c == '\\' || c >= 0x80) return true;
  return false;
}

// %* in the pattern: the message through log_field (uncapped but for 64 KiB).
class EscapedPayload final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string_view v(msg.payload.data(), msg.payload.size());
    if (!needs_escape(v)) {
      dest.append(v.data(), v.data() + v.size());
      return;
    }
    std::string e = log_field(v, 64 * 1024);
    dest.append(e.data(), e.data() + e.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<EscapedPayload>();
  }
};
// %& in the pattern: the time in China (UTC+8, as every time a person
// reads), "2026-12-03T09:05:07.123+08:00", whatever the machine's zone;
// %@ the short form a screen shows, "12-03 09:05:07".
template <bool kShort>
class ChinaTime final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    using namespace std::chrono;
    auto ms = duration_cast<milliseconds>(msg.time.time_since_epoch()).count() + kChinaOffsetMs;
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    int n = kShort ? std::snprintf(buf, sizeof buf, "%02d-%02d %02d:%02d:%02d", tm.tm_mon + 1,
                                   tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec)
                   : std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+08:00",
                                   tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                                   tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    dest.append(buf, buf + std::max(0, n));
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<ChinaTime>();
  }
};
}  // namespace

std::string log_field(std::string_view s, std::size_t max) {
  std::string out;
  std::size_t shown = std::min(s.size(), max);
  out.reserve(shown + 16);
  for (std::size_t i = 0; i < shown;) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = utf8_sequence_length(s.substr(i));
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

std::unique_ptr<spdlog::formatter> china_time_formatter(const std::string& pattern) {
  auto f = std::make_unique<spdlog::pattern_formatter>();
  f->add_flag<EscapedPayload>('*')
      .add_flag<ChinaTime<false>>('&')
      .add_flag<ChinaTime<true>>('@')
      .set_pattern(pattern);
  return f;
}

Status init_logging(const std::string& level, const std::string& file) {
  static constexpr std::string_view kLevels[] = {"debug", "info", "warn", "error"};
  if (std::find(std::begin(kLevels), std::end(kLevels), level) == std::end(kLevels))
    return Status(Code::kInvalidArgument, "unknown log level '" + log_field(level, 64) +
                                              "': use debug, info, warn or error");
  std::shared_ptr<spdlog::logger> l;
  spdlog::drop("chz");  // a second call (e.g. --log-level) replaces the first
  try {
    if (file.empty())
      l = spdlog::stderr_color_mt("chz");
    else
      l = spdlog::basic_logger_mt("chz", file);
  } catch (const spdlog::spdlog_ex& e) {
    return Status(Code::kIoError, std::string("cannot open the log: ") + e.what());
  }
  l->set_level(spdlog::level::from_str(level));
  l->set_formatter(china_time_formatter("%& %^%l%$ %*"));
  spdlog::set_default_logger(l);
  return OkStatus();
}

}  // namespace chz
