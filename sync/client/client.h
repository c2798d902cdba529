// The kiosk's sync client (libcurl). One pass = server time (clock offset)
// -> the server's cursor for this device -> upload the records after it in
// batches (each answered with the new cursor, remembered through
// RecordSource::set_acknowledged) -> download the site's feed pages into the
// RecordSink. Every request is signed (sync/protocol/signing.h). Transient
// failures (no connection, timeouts, dropped connections, 5xx) are retried
// with exponential backoff and full jitter, and the pass resumes from the
// server's cursor, so a failure or a kill -9 at any point loses and
// duplicates nothing. HTTPS pins the county CA received at enrollment.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/crypto.h"
#include "sync/protocol/api.h"
#include "sync/protocol/record.h"

namespace chz::sync_client {

struct Credentials {
  std::string server_url;  // "https://county.example:8443" (no trailing slash)
  std::string ca_pem;      // pinned county CA; "" = plain HTTP (tests)
  std::string device_id;
  Key32 secret{};  // the device's Ed25519 seed
};

struct ClientOptions {
  long connect_timeout_ms = 3000;
  long timeout_ms = 20000;
  int max_attempts = 8;  // per step, before the pass gives up
  long backoff_base_ms = 100;
  long backoff_max_ms = 30000;
  std::size_t batch = 1000;      // records per upload
  std::size_t feed_page = 1000;  // records per feed page
  // Any answer larger than this is refused ("sync.too_large"), not retried:
  // a course package with its pictures is the largest a county sends.
  std::size_t max_response_bytes = 128u << 20;
};
// An enrollment answer larger than this is refused (it is a few KB).
inline constexpr std::size_t kMaxEnrollAnswerBytes = 1u << 20;

struct Progress {
  enum class State { kIdle, kConnecting, kUploading, kDownloading, kDone, kFailed };
  State state = State::kIdle;
  std::int64_t acknowledged = 0;  // server cursor for this device
  std::int64_t last_seq = 0;      // highest seq written locally
  std::int64_t downloaded = 0;    // feed records applied this pass
  std::int64_t offset_ms = 0;     // server time - device clock
  std::int64_t last_success_ms = 0;
  std::string last_error;
};
std::string_view state_name(Progress::State s);

class Client {
 public:
  // `clock` must outlive the client. Not thread-safe: one thread uses it.
  Client(Credentials c, ClientOptions o, const Clock& clock);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // One full pass (see above); `on_progress` is called after every step.
  // Returns the first non-transient refusal, or kUnavailable when retries
  // ran out; what was acknowledged before stays acknowledged.
  Status sync_once(sync::RecordSource& src, sync::RecordSink& sink,
                   const std::function<void(const Progress&)>& on_progress = {});
  // The steps, for tools and tests.
  Result<std::int64_t> refresh_offset();  // asks /time; returns the offset
  Result<std::int64_t> server_cursor();
  Status upload(sync::RecordSource& src, Progress& p,
                const std::function<void(const Progress&)>& cb);
  Status download(sync::RecordSink& sink, Progress& p,
                  const std::function<void(const Progress&)>& cb);
  Result<std::string> fetch_content(const std::string& package_id);

  std::int64_t offset_ms() const { return offset_ms_; }

  struct Reply {
    long status = 0;  // 0 = transport failure, -1 = answer over max_response_bytes
    std::string body;
    std::string error;  // transport error text
    std::string header(std::string_view name) const;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  // One signed request, no retries (refusal tests use it directly).
  Reply request(const std::string& method, const std::string& path, const std::string& body,
                bool sign = true);
  // A signed request with retries on transient failures (and one resync of
  // counter or clock); refusals come back as Status. A county forwarding to
  // its city uses it (sync/server/upstream.h).
  Result<Reply> call(const std::string& method, const std::string& path, const std::string& body);

 private:
  void backoff(int attempt);

  Credentials cred_;
  ClientOptions opt_;
  const Clock& clock_;
  void* curl_ = nullptr;
  std::int64_t offset_ms_ = 0;
  std::int64_t counter_ = 0;
  std::mt19937_64 rng_;
};

// Enrolls this device with a one-time code. Verifies the server's answer
// with the code (so a man in the middle cannot substitute keys) and
// unseals the county person key. The caller stores the result.
struct Enrollment {
  sync::api::EnrollResponse response;
  Key32 person_key{};
  Key32 content_pub{};
  Key32 bundle_pub{};
};
Result<Enrollment> enroll(const std::string& server_url, const std::string& code,
                          const std::string& device_id, const Key32& device_pub,
                          const Key32& box_pub, long timeout_ms = 15000);

// Runs passes on a background thread: every `interval_ms`, and at once on
// trigger(). The source and sink must be used by this thread only while it
// runs (give it its own store connection).
class SyncRunner {
 public:
  SyncRunner(Credentials c, ClientOptions o, const Clock& clock, sync::RecordSource& src,
             sync::RecordSink& sink, long interval_ms = 300000);
  ~SyncRunner();
  void start();
  void stop();
  void trigger();
  Progress progress() const;

 private:
  void loop();
  Credentials cred_;
  ClientOptions opt_;
  const Clock& clock_;
  sync::RecordSource& src_;
  sync::RecordSink& sink_;
  long interval_ms_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  Progress progress_;
  bool stop_ = false, kick_ = false;
  std::thread thread_;
};

}  // namespace chz::sync_client
