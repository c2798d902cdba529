// The one logger (spdlog). Log lines never hold personal data: no names, ID
// numbers or phones; refer to people by their person key prefix or a row id.
#pragma once

#include <spdlog/spdlog.h>

#include <string>

namespace chz {

// Sets the default logger: stderr, or `file` if non-empty; `level` is
// "debug", "info", "warn" or "error".
void init_logging(const std::string& level = "info", const std::string& file = {});

}  // namespace chz
