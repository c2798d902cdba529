#include "sync/client/client.h"

namespace chz::sync_client {

SyncRunner::SyncRunner(Credentials c, ClientOptions o, const Clock& clock, sync::RecordSource& src,
                       sync::RecordSink& sink, long interval_ms)
    : cred_(std::move(c)),
      opt_(o),
      clock_(clock),
      src_(src),
      sink_(sink),
      interval_ms_(interval_ms) {}

SyncRunner::~SyncRunner() {
  stop();
}

void SyncRunner::start() {
  std::lock_guard g(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  kick_ = true;
  thread_ = std::thread([this] { loop(); });
}

void SyncRunner::stop() {
  {
    std::lock_guard g(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SyncRunner::trigger() {
  {
    std::lock_guard g(mu_);
    kick_ = true;
  }
  cv_.notify_all();
}

Progress SyncRunner::progress() const {
  std::lock_guard g(mu_);
  return progress_;
}

void SyncRunner::loop() {
  Client client(cred_, opt_, clock_);
  for (;;) {
    {
      std::unique_lock lk(mu_);
      cv_.wait_for(lk, std::chrono::milliseconds(interval_ms_), [&] { return stop_ || kick_; });
      if (stop_) return;
      kick_ = false;
    }
    std::int64_t last_ok;
    {
      std::lock_guard g(mu_);
      last_ok = progress_.last_success_ms;
    }
    client
        .sync_once(src_, sink_,
                   [&](const Progress& p) {
                     std::lock_guard g(mu_);
                     progress_ = p;
                     if (!p.last_success_ms) progress_.last_success_ms = last_ok;
                   })
        .ignore();
  }
}

}  // namespace chz::sync_client
