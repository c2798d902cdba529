// The last lines the kiosk logged, for the admin's log screen. Log lines
// never hold personal data (common/log.h), so an admin may read them here.
// Keeps info and above in memory even when stderr shows only warnings.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace spdlog::sinks {
template <typename Mutex>
class ringbuffer_sink;
}

namespace chz::app {

class LogBuffer {
 public:
  // Attaches to the default logger; detaches on destruction.
  explicit LogBuffer(std::size_t lines = 300);
  ~LogBuffer();
  LogBuffer(const LogBuffer&) = delete;
  LogBuffer& operator=(const LogBuffer&) = delete;
  // Oldest first, without the trailing newline.
  std::vector<std::string> lines() const;

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink<std::mutex>> sink_;
};

}  // namespace chz::app
