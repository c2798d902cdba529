#include "app/ops/sync_worker.h"

#include <spdlog/spdlog.h>
#include "app/ops/kiosk_ops.h"
#include "kiosk/store.h"

namespace chz::ops {

SyncWorker::SyncWorker(std::filesystem::path kiosk_dir, const Clock& clock, long interval_ms,
                       sync_client::ClientOptions options)
    : dir_(std::move(kiosk_dir)), clock_(clock), interval_ms_(interval_ms), options_(options) {}

SyncWorker::~SyncWorker() {
  stop();
}

sync_client::ClientOptions SyncWorker::ui_client_options() {
  sync_client::ClientOptions o;
  o.connect_timeout_ms = 3000;
  o.timeout_ms = 15000;
  o.max_attempts = 3;
  o.backoff_max_ms = 2000;
  return o;
}

void SyncWorker::start() {
  std::lock_guard g(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  kick_ = true;
  thread_ = std::thread([this] { loop(); });
}

void SyncWorker::stop() {
  {
    std::lock_guard g(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SyncWorker::trigger() {
  {
    std::lock_guard g(mu_);
    kick_ = true;
  }
  cv_.notify_all();
}

SyncSnapshot SyncWorker::snapshot() const {
  std::lock_guard g(mu_);
  return snap_;
}

void SyncWorker::loop() {
  for (;;) {
    {
      std::unique_lock lk(mu_);
      cv_.wait_for(lk, std::chrono::milliseconds(interval_ms_), [&] { return stop_ || kick_; });
      if (stop_) return;
      kick_ = false;
      snap_.running = true;
    }
    std::string error;
    std::vector<std::string> installed;
    sync_client::Progress last;
    auto store = kiosk::Store::open(dir_);
    if (!store.ok()) {
      error = store.status().to_string();
    } else if (!store->setting("server.url").ok()) {
      error = "sync.not_enrolled";
    } else {
      auto r = sync_pass(
          *store, clock_,
          [&](const sync_client::Progress& p) {
            std::lock_guard g(mu_);
            snap_.progress = p;
          },
          options_);
      if (r.ok()) {
        installed = r->courses_installed;
        last = r->progress;
      } else {
        error = r.status().key().empty() ? r.status().message() : r.status().key();
        spdlog::warn("sync pass failed: {}", r.status().to_string());
      }
    }
    std::lock_guard g(mu_);
    snap_.running = false;
    ++snap_.passes;
    snap_.last_error = error;
    snap_.courses_installed = installed;
    if (error.empty()) snap_.progress = last;
  }
}

}  // namespace chz::ops
