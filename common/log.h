// The one logger (spdlog). Log lines never hold personal data: no names, ID
// numbers or phones; refer to people by their person key prefix or a row id.
// Every line's message goes through log_field by the logger itself, so no
// value that came from outside (a URL path, a header, a file name) can start
// a forged line even where a caller forgot to escape it.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>

#include <string>
#include <string_view>

#include "common/status.h"

namespace chz {

// Sets (or replaces) the default logger: stderr, or `file` if non-empty;
// `level` is "debug", "info", "warn" or "error". Safe to call again (a
// later --log-level replaces the first). kInvalidArgument for any other
// level, with the logger left as it was.
Status init_logging(const std::string& level = "info", const std::string& file = {});

// A value from outside (a request's method, path, header) made safe for one
// log line: control characters (C0, DEL, C1), backslash and bytes that are
// not valid UTF-8 become \xNN, so no input can start a second line or pass
// for another field; valid UTF-8 (Chinese) is kept. At most `max` bytes of
// the input are shown; a longer value ends in "...(N bytes)".
std::string log_field(std::string_view s, std::size_t max = 200);

// A formatter for `pattern` with the logger's own flags besides spdlog's:
// %& the time in China in full ("2026-12-03T09:05:07.123+08:00"), %@ the
// short form a screen shows ("12-03 09:05:07"), %* the message escaped as
// by log_field. Whatever the machine's time zone.
std::unique_ptr<spdlog::formatter> china_time_formatter(const std::string& pattern);

}  // namespace chz
