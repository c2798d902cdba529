// chizheng-kioskctl: kiosk administration and scripting. Each area of the
// core registers its subcommands in its own file (ctl_store.cpp,
// ctl_domain.cpp, ...) through one of the add_*_commands functions below;
// kioskctl_main.cpp only wires them. Commands print for people on stdout,
// errors on stderr, and exit non-zero on failure.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <string>

#include "common/status.h"

namespace chz::ctl {

// Options every command shares.
struct Context {
  std::filesystem::path data = "/var/lib/chizheng-kiosk";  // --data (the package's)
  int exit_code = 0;
  // Prints a failed Status to stderr and sets exit code 1 (2 for usage).
  void fail(const Status& st);
};

// Registers `sub` so that its callback runs `fn` and records its Status.
void on_run(CLI::App* sub, Context& ctx, std::function<Status()> fn);

void add_store_commands(CLI::App& app, Context& ctx);    // init, status, check, rotate-key
void add_domain_commands(CLI::App& app, Context& ctx);   // people, classes, hours...
void add_exam_commands(CLI::App& app, Context& ctx);     // verify-certificate...
void add_sync_commands(CLI::App& app, Context& ctx);     // enroll, sync, export-usb...
void add_content_commands(CLI::App& app, Context& ctx);  // install-content...

}  // namespace chz::ctl
