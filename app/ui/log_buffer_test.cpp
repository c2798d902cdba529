#include "app/ui/log_buffer.h"

#include <doctest/doctest.h>
#include <spdlog/spdlog.h>

namespace chz::app {

TEST_CASE("log buffer: keeps the last info lines while stderr shows warnings only") {
  spdlog::set_level(spdlog::level::warn);
  {
    LogBuffer buf(3);
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

}  // namespace chz::app
