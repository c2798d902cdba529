#include "common/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

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

}  // namespace chz
