// The per-device outbox: every record this kiosk writes, numbered by a
// gap-free sequence (1, 2, 3...) assigned in the same transaction as the
// domain write it belongs to, so a crash loses both or neither. The sync
// client reads it through KioskRecordSource (sync/protocol/record.h).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/db.h"
#include "sync/protocol/record.h"

namespace chz::kiosk {

// Appends a record of `kind` with `body` (a JSON object; integers only, no
// floats) stamped with a UUIDv7, this device's id, seq = last + 1, a fresh
// HLC stamp (corrected time), the device's wall time and the server offset.
// REQUIRES: inside db.transaction(...), together with the domain rows.
// kInvalidArgument if the body is not an object or holds a float.
Result<sync::RecordMeta> append_record(Db& db, const Clock& clock, std::string_view kind,
                                       const nlohmann::json& body);

// The canonical text of a body: keys sorted, no spaces (json::dump()).
// kInvalidArgument if `body` is not an object or holds a float.
Result<std::string> canonical_body(const nlohmann::json& body);

// This device's id (from the store's device identity).
Result<std::string> device_id(Db& db);

// The outbox as the sync client sees it.
class KioskRecordSource final : public sync::RecordSource {
 public:
  // `db` must outlive the source. Reads the device id on construction.
  explicit KioskRecordSource(Db& db);
  std::string device_id() const override { return device_id_; }
  Result<std::vector<sync::Record>> records_after(std::int64_t after, std::size_t limit) override;
  Result<std::int64_t> last_seq() override;
  // Moves the acknowledged cursor forward (never back: a lower value is
  // ignored); kOutOfRange beyond last_seq().
  Status set_acknowledged(std::int64_t seq) override;
  Result<std::int64_t> acknowledged() override;

 private:
  Db& db_;
  std::string device_id_;
};

}  // namespace chz::kiosk
