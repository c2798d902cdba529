// chizheng-server's statistics commands: report, roster, stats
// verify|freshness, reproject, target set|clear|list|report. Registered by
// run_cli (commands.cpp).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>

#include "sync/server/store.h"

namespace chz::server {

struct CliHooks {
  std::function<Result<std::unique_ptr<ServerStore>>()> open;  // the configured store
  std::function<void(const Status&)> fail;                     // prints, sets the exit code
  std::function<std::int64_t()> now_ms;
};
void add_stats_commands(CLI::App& app, const CliHooks& hooks);

}  // namespace chz::server
