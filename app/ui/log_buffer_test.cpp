#include "app/ui/log_buffer.h"

#include <doctest/doctest.h>
#include <spdlog/sinks/sink.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <ctime>
#include <regex>

#include "common/clock.h"

namespace chz::app {

TEST_CASE("log buffer: keeps the last info lines while the stderr sink stays at warnings") {
  spdlog::set_level(spdlog::level::warn);
  REQUIRE(spdlog::default_logger()->sinks().size() == 1);
  auto stderr_sink = spdlog::default_logger()->sinks().front();
  {
    LogBuffer buf(3);
    // The logger now passes info (for the buffer), but the sink that was
    // already there (stderr) still shows warnings and above only.
    CHECK(spdlog::default_logger()->level() == spdlog::level::info);
    CHECK(stderr_sink->level() == spdlog::level::warn);
    spdlog::debug("not kept");
    for (int i = 0; i < 5; ++i) spdlog::info("sync pass {} done", i);
    auto lines = buf.lines();
    REQUIRE(lines.size() == 3);
    CHECK(lines.front().find("sync pass 2 done") != std::string::npos);
    CHECK(lines.back().find("sync pass 4 done") != std::string::npos);
    CHECK(lines.back().back() != '\n');
  }
  // Detached: the default logger holds no dangling sink.
  spdlog::info("after");
  CHECK(spdlog::default_logger()->sinks().size() == 1);
}

TEST_CASE("log buffer: lines carry China time whatever the machine's time zone") {
  setenv("TZ", "America/New_York", 1);  // 12 or 13 hours from China
  tzset();
  LogBuffer buf(2);
  SystemClock clock;
  std::string before = format_china_time(clock.now_ms());  // "2026-12-03 09:05:07"
  spdlog::warn("一行日志");
  std::string after = format_china_time(clock.now_ms());
  auto lines = buf.lines();
  REQUIRE(lines.size() == 1);
  CAPTURE(lines[0]);
  CHECK(std::regex_search(lines[0],
                          std::regex("^\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d warning 一行日志$")));
  // "MM-DD HH:MM" of China time, read before or after (a minute may turn).
  std::string shown = lines[0].substr(0, 11);
  CHECK((shown == before.substr(5, 11) || shown == after.substr(5, 11)));
  unsetenv("TZ");
  tzset();
}

}  // namespace chz::app
