#include "common/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "common/utf8.h"

namespace chz {

std::string log_escape(std::string_view text, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + 8);
  auto put_hex = [&out](unsigned char c) {
    static const char* d = "0123456789abcdef";
    out += "\\x";
    out += d[c >> 4];
    out += d[c & 15];
  };
  std::size_t i = 0;
  while (i < text.size()) {
    if (out.size() >= max_bytes) {
      out += "…";
      break;
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      put_hex(c);
      ++i;
    } else if (c == '\\') {
      out += "\\\\";
      ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else {
      std::size_t n = utf8_sequence_length(text.substr(i));
      if (n == 0) {
        put_hex(c);
        ++i;
      } else {
        out.append(text.substr(i, n));
        i += n;
      }
    }
  }
  return out;
}

namespace {
// %* in the pattern: the message, escaped (see log_escape).
class EscapedPayload final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string_view v(msg.payload.data(), msg.payload.size());
    bool plain = true;
    for (unsigned char c : v)
      if (c < 0x20 || c == 0x7f || c == '\\' || c >= 0x80) {
        plain = false;
        break;
      }
    if (plain) {
      dest.append(v.data(), v.data() + v.size());
      return;
    }
    std::string e = log_escape(v, 64 * 1024);
    dest.append(e.data(), e.data() + e.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<EscapedPayload>();
  }
};
}  // namespace

Status init_logging(const std::string& level, const std::string& file) {
  static constexpr std::string_view kLevels[] = {"debug", "info", "warn", "error"};
  if (std::find(std::begin(kLevels), std::end(kLevels), level) == std::end(kLevels))
    return Status(Code::kInvalidArgument, "unknown log level '" + log_escape(level, 64) +
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
  auto f = std::make_unique<spdlog::pattern_formatter>();
  f->add_flag<EscapedPayload>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %*");
  l->set_formatter(std::move(f));
  spdlog::set_default_logger(l);
  return OkStatus();
}

}  // namespace chz
