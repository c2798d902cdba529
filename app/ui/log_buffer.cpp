#include "app/ui/log_buffer.h"

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/log.h"

namespace chz::app {

LogBuffer::LogBuffer(std::size_t lines)
    : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(lines)) {
  auto logger = spdlog::default_logger();
  // The sinks already there keep the level the logger had; the buffer
  // takes info and above.
  for (auto& s : logger->sinks()) s->set_level(std::max(s->level(), logger->level()));
  sink_->set_level(spdlog::level::info);
  sink_->set_formatter(china_time_formatter("%@ %l %*"));  // China time, as on screen
  logger->sinks().push_back(sink_);
  logger->set_level(std::min(logger->level(), spdlog::level::info));
}

LogBuffer::~LogBuffer() {
  auto logger = spdlog::default_logger();
  auto& sinks = logger->sinks();
  sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
}

std::vector<std::string> LogBuffer::lines() const {
  auto out = sink_->last_formatted();
  for (auto& l : out)
    while (!l.empty() && (l.back() == '\n' || l.back() == '\r')) l.pop_back();
  return out;
}

}  // namespace chz::app
