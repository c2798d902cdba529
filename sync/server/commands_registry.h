// chizheng-server's `registry` commands: import (the labour-force
// registry), import-certificates (held certificates) and status. Kept out
// of commands.cpp so that file registers them with one line.
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "common/clock.h"
#include "common/status.h"

namespace chz::server {

// What the commands need from the command line they join. The references
// must outlive app.parse(); `data` and `db` are read when a command runs.
struct RegistryCliEnv {
  const std::string& data;  // --data: county keys and the embedded store
  const std::string& db;    // --db: PostgreSQL URL, empty for the embedded store
  const Clock& clock;
  std::function<void(const Status&)> fail;  // prints the error and sets exit code 1
};

// Adds `registry import | import-certificates | status` to `app`.
void add_registry_commands(CLI::App& app, RegistryCliEnv env);

}  // namespace chz::server
