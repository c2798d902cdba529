// A small fake kiosk for sync tests (Morango style): a persistent
// SQLCipher store holding an outbox of records (RecordSource) and the
// records applied from the feed (RecordSink), so sync tests depend on
// sync/ only, never on kiosk/. Persistent so a test can kill -9 a client
// process and resume from the same folder.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/db.h"
#include "sync/protocol/record.h"

namespace chz::synctest {

class FakeDevice final : public sync::RecordSource, public sync::RecordSink {
 public:
  // Opens (or creates) the device in `dir` with id `device_id`.
  static Result<std::unique_ptr<FakeDevice>> open(const std::filesystem::path& dir,
                                                  const std::string& device_id);

  // Appends `n` attendance records (seq continues; uuid per record_uuid).
  Status add_attendance(int n, std::int64_t now_ms);
  // Appends one record of `kind` with `body` (canonical JSON); returns its seq.
  Result<std::int64_t> add_record(const std::string& kind, const std::string& body,
                                  std::int64_t now_ms);
  // Replaces the body of record `seq` (to provoke a conflicting resend).
  Status tamper(std::int64_t seq, const std::string& body);

  std::string device_id() const override { return id_; }
  Result<std::vector<sync::Record>> records_after(std::int64_t after, std::size_t limit) override;
  Result<std::int64_t> last_seq() override;
  Status set_acknowledged(std::int64_t seq) override;
  Result<std::int64_t> acknowledged() override;
  Result<std::int64_t> apply(const std::vector<sync::Record>& records,
                             const std::string& cursor) override;
  Result<std::string> feed_cursor() override;

  // Everything applied from the feed, in apply order.
  Result<std::vector<sync::Record>> applied();
  Result<std::int64_t> applied_count();
  Result<std::vector<sync::Record>> outbox();
  // Settings (credentials etc.) for the helper process.
  Status set(const std::string& k, const std::string& v);
  Result<std::string> get(const std::string& k);

 private:
  FakeDevice(Db db, std::string id) : db_(std::move(db)), id_(std::move(id)) {}
  Db db_;
  std::string id_;
};

}  // namespace chz::synctest
