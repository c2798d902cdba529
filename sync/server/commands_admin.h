// chizheng-server's commands over the county's own records (county_admin.h):
// list sites|devices|staff|classes|sessions|people, deactivate-staff,
// reactivate-staff, unenrol, cancel-session, cancel-class, correct-person,
// minutes-per-hour.
// Registered by run_cli (commands.cpp).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

#include "sync/server/commands_stats.h"
#include "sync/server/county.h"

namespace chz::server {

struct AdminHooks : CliHooks {
  std::function<Result<CountyKeys>()> keys;  // the county's keys (person keys)
};
void add_admin_commands(CLI::App& app, const AdminHooks& hooks);

}  // namespace chz::server
