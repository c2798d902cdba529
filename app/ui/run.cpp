#include "app/ui/run.h"

#include <CLI/CLI.hpp>

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <thread>

#include "app/ui/app.h"
#include "app/ui/driver.h"
#include "app/ui/shell.h"
#include "common/fs.h"
#include "common/log.h"
#include "common/version.h"

namespace chz::app {

namespace {
// SIGTERM, SIGINT and SIGHUP are blocked in every thread (before any is
// started) and taken by one thread with sigwait, which asks the loop to stop:
// nothing runs in a signal handler, and the stop works in kiosk mode too.
std::atomic<bool> g_stop{false};

void start_signal_thread() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) return;
    g_stop = true;
    Shell::wake();
  }).detach();
}
}  // namespace

int kiosk_main(int argc, char** argv) {
  CLI::App cli{"持证 Chizheng kiosk"};
  std::string data = "/var/lib/chizheng-kiosk", script, script_vars, size = "1024x600",
              log_level = "warn";
  bool windowed = false, print_ready = false, first_frame_only = false;
  int idle = 90;
  ShellOptions so;
  cli.add_option("--data", data, "kiosk data folder (created on first start)");
  cli.add_flag("--windowed", windowed, "a normal window instead of kiosk mode (development)");
  cli.add_option("--size", size, "window size when windowed, e.g. 1366x768");
  cli.add_option("--script", script, "replay a scenario (see app/ui/driver.h) and exit");
  cli.add_option("--script-vars", script_vars, "name=value lines for $name in the script");
  cli.add_option("--idle-timeout", idle, "seconds untouched before returning to welcome");
  AppOptions ao;
  cli.add_option("--usb", ao.usb_dir, "where a USB stick is mounted (default: look under /media)");
  bool no_sync = false;
  cli.add_flag("--no-sync", no_sync, "no background sync thread (sync only when asked)");
  cli.add_option("--font", so.fonts.cjk, "Chinese font (BMP)");
  cli.add_option("--font-ext", so.fonts.beyond_bmp, "font for characters beyond the BMP");
  cli.add_option("--log-level", log_level, "debug, info, warn, error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  cli.set_version_flag("--version", version_text("chizheng-kiosk"));
  cli.add_flag("--print-ready", print_ready, "print 'ready <ms>' when the first frame is shown");
  cli.add_flag("--first-frame-only", first_frame_only, "exit after the first frame (benchmarks)");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  init_logging(log_level).ignore();  // the option's check allows only valid levels
  start_signal_thread();
  spdlog::debug("startup: options parsed");
  so.kiosk = !windowed;
  if (std::sscanf(size.c_str(), "%dx%d", &so.width, &so.height) != 2) {
    std::fprintf(stderr, "--size wants WIDTHxHEIGHT\n");
    return 2;
  }
  so.print_ready = print_ready;
  so.exit_after_first_frame = first_frame_only;
  so.stop = &g_stop;

  std::unique_ptr<Driver> driver;
  if (!script.empty()) {
    auto text = read_file(script);
    if (!text.ok()) {
      std::fprintf(stderr, "%s\n", text.status().message().c_str());
      return 2;
    }
    auto steps = parse_script(*text);
    if (!steps.ok()) {
      std::fprintf(stderr, "%s\n", steps.status().message().c_str());
      return 2;
    }
    if (!script_vars.empty()) {
      auto vars = read_file(script_vars);
      if (vars.ok()) substitute_vars(*steps, *vars);
    }
    driver = std::make_unique<Driver>(std::move(steps).value());
  }
  // Scripted runs use a clock the script moves; it starts at the real time.
  SystemClock system_clock;
  FakeClock fake_clock(system_clock.now_ms());
  const Clock& clock = driver ? static_cast<const Clock&>(fake_clock) : system_clock;

  auto shell = Shell::create(so);
  if (!shell.ok()) {
    std::fprintf(stderr, "%s\n", shell.status().message().c_str());
    return 2;
  }
  // On a first start the display comes first: a kiosk that cannot show
  // itself creates no store. An existing store is only opened, so there the
  // display starts in Shell::run beside the glyph worker, as it always did
  // (starting it first cost 17 MB of resident memory on llvmpipe); without
  // a display run() then fails with the same message.
  bool first_start = !std::filesystem::exists(StorePaths::in(data).db);
  if (first_start) {
    if (Status v = (*shell)->start_video(); !v.ok()) {
      std::fprintf(stderr, "chizheng-kiosk: %s\n", v.message().c_str());
      return 2;
    }
  }
  if (g_stop) return 0;
  auto store = first_start ? kiosk::Store::init(data, clock) : kiosk::Store::open(data);
  if (!store.ok()) {
    std::fprintf(stderr, "store: %s\n", store.status().to_string().c_str());
    return 2;
  }
  spdlog::debug("startup: store open");
  ao.idle_timeout_s = idle;
  ao.background_sync = !no_sync;
  App app(*store, clock, ao);
  spdlog::debug("startup: app ready");
  return (*shell)->run(app, driver.get(), driver ? &fake_clock : nullptr);
}

}  // namespace chz::app
