// chizheng-server's dashboard commands: user add|reset|unlock|list, audit
// verify|list, and routes (the route table as JSON, with each route's
// roles). Registered by run_cli (commands.cpp).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "sync/server/commands_stats.h"

namespace chz::server {

void add_dashboard_commands(CLI::App& app, const CliHooks& hooks);

// The folder the page's files are installed in, next to the binary:
// <bin>/../share/chizheng-server/web when installed (the chizheng-server
// package), else <build>/web beside the build tree's sync/server/; "" if
// neither holds an index.html.
std::string default_web_dir();

}  // namespace chz::server
