// The one logger (spdlog). Log lines never hold personal data: no names, ID
// numbers or phones; refer to people by their person key prefix or a row id.
// Every line's message has its control characters escaped (\n as \x0a, ...)
// by the logger itself, so no field that came from outside (a URL path, a
// header, a file name) can start a forged line.
#pragma once

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

#include "common/status.h"

namespace chz {

// Sets (or replaces) the default logger: stderr, or `file` if non-empty;
// `level` is "debug", "info", "warn" or "error". Safe to call again (a
// later --log-level replaces the first). kInvalidArgument for any other
// level, with the logger left as it was.
Status init_logging(const std::string& level = "info", const std::string& file = {});

// `text` with every byte below 0x20, 0x7f, and every byte that is not part
// of valid UTF-8 written as \xNN (backslash as \\), cut to `max_bytes`
// with "…" when longer. For one field of a log line.
std::string log_escape(std::string_view text, std::size_t max_bytes = 4096);

}  // namespace chz
