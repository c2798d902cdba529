// Applies what the county's feed brings (other kiosks' records, the
// county's): idempotent by uuid, mutable records merged per field by HLC,
// facts inserted once; the feed cursor is remembered in the same
// transaction, so a crash re-fetches the page and nothing is applied twice.
#pragma once

#include <functional>

#include "common/clock.h"
#include "common/db.h"
#include "sync/protocol/record.h"

namespace chz::kiosk {

// Projects records of kinds the domain does not know (e.g. the exams'),
// inside the same transaction. Must itself be idempotent by uuid.
using ExtraProjector = std::function<Status(Db&, const sync::Record&)>;

class KioskRecordSink final : public sync::RecordSink {
 public:
  // `db` and `clock` must outlive the sink.
  KioskRecordSink(Db& db, const Clock& clock, ExtraProjector extra = {});
  // One transaction: every record not seen before (by uuid; this device's
  // own records are skipped) is kept in the inbox, its HLC observed, and
  // projected; then `cursor` is stored. All or nothing.
  Result<std::int64_t> apply(const std::vector<sync::Record>& records,
                             const std::string& cursor) override;
  Result<std::string> feed_cursor() override;

 private:
  Db& db_;
  const Clock& clock_;
  ExtraProjector extra_;
};

}  // namespace chz::kiosk
