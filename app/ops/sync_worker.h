// Sync on a background thread for the kiosk UI: a pass at start, every
// `interval_ms`, and at once on trigger() ("立即同步"). The thread opens its
// own connection to the kiosk store (SQLite connections stay on one thread)
// and runs ops::sync_pass; the UI polls snapshot() between frames.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "sync/client/client.h"

namespace chz::ops {

struct SyncSnapshot {
  bool running = false;     // a pass is under way
  std::int64_t passes = 0;  // passes finished (ok or not) since start
  sync_client::Progress progress;
  std::string last_error;                      // of the last pass; "" if it succeeded
  std::vector<std::string> courses_installed;  // by the last pass
};

class SyncWorker {
 public:
  // `clock` must outlive the worker. Nothing runs before start().
  SyncWorker(std::filesystem::path kiosk_dir, const Clock& clock, long interval_ms = 300000,
             sync_client::ClientOptions options = ui_client_options());
  ~SyncWorker();  // stops and joins
  SyncWorker(const SyncWorker&) = delete;
  SyncWorker& operator=(const SyncWorker&) = delete;

  void start();
  void stop();
  void trigger();
  SyncSnapshot snapshot() const;

  // Fewer, shorter retries than kioskctl's: a person is waiting at the screen
  // and the kiosk must be able to shut down promptly.
  static sync_client::ClientOptions ui_client_options();

 private:
  void loop();

  std::filesystem::path dir_;
  const Clock& clock_;
  long interval_ms_;
  sync_client::ClientOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  SyncSnapshot snap_;
  bool stop_ = false, kick_ = false;
  std::thread thread_;
};

}  // namespace chz::ops
