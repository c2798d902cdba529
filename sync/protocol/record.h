// The unit sync moves: a Record. sync/ knows records, never the domain.
// kiosk/ implements RecordSource (its outbox) and RecordSink (applying what
// the county's feed brings); sync/client reads and writes through these.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "sync/protocol/hlc.h"

namespace chz::sync {

// Metadata every synced row carries (docs/record-and-sync.md).
struct RecordMeta {
  std::string uuid;            // UUIDv7 text, the record's identity everywhere
  std::string origin_device;   // device id that created it ("county" for the server)
  std::int64_t seq = 0;        // per-device, gap-free, monotonic from 1
  Hlc hlc;                     // hybrid logical clock stamp
  std::int64_t wall_ms = 0;    // the device's own clock when written
  std::int64_t offset_ms = 0;  // the device's estimated offset to server time
  bool operator==(const RecordMeta&) const = default;
};

// A record: metadata + kind + body. The body is a JSON object text in
// canonical form (keys sorted, no spaces, integers only: nlohmann's dump(),
// as kiosk::canonical_body in kiosk/outbox.h makes it; wire.h sends any
// other text as one raw string); its fields are defined per kind in
// record_kinds.h (exam and certificate kinds in certificate.h). A
// tombstone deletes the mutable record with the same `entity` (body holds
// {"entity": "..."}).
struct Record {
  RecordMeta meta;
  std::string kind;
  std::string body;
  bool operator==(const Record&) const = default;
};

// What a device has written and not yet had acknowledged, in seq order.
class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // This device's id (origin_device of all its records).
  virtual std::string device_id() const = 0;
  // Records of this device with seq > after, ascending, at most `limit`.
  virtual Result<std::vector<Record>> records_after(std::int64_t after, std::size_t limit) = 0;
  // Highest seq written so far (0 if none).
  virtual Result<std::int64_t> last_seq() = 0;
  // The server holds everything up to `seq` (durably remembered).
  virtual Status set_acknowledged(std::int64_t seq) = 0;
  virtual Result<std::int64_t> acknowledged() = 0;
};

// Where records from the county's feed (other devices, the county) go.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // Applies records idempotently (a record seen before by uuid is skipped),
  // and remembers `cursor` in the same transaction. Returns how many were
  // new (0 when every record had been applied before).
  virtual Result<std::int64_t> apply(const std::vector<Record>& records,
                                     const std::string& cursor) = 0;
  virtual Result<std::string> feed_cursor() = 0;
};

}  // namespace chz::sync
