// Kiosk time: corrected time = device clock + the offset the county server
// last reported. The HLC stamp of every record is taken in corrected time.
// If the clock reads earlier than the last HLC stamp or the build date, the
// clock is suspect and sessions stay shut until a trainer confirms the time
// (audited); session windows are judged in corrected time.
//
// "The last HLC stamp" is read as the latest corrected time this kiosk
// itself stamped a record at: stamps merged from other devices do not count
// (one kiosk with a fast clock must not shut every kiosk of its site), and
// a new offset from the server counts as a confirmation (the server's time
// is the reference).
#pragma once

#include <cstdint>
#include <optional>

#include "common/clock.h"
#include "common/db.h"
#include "kiosk/actor.h"
#include "sync/protocol/hlc.h"

namespace chz::kiosk {

// How far the clock may read behind the last HLC stamp before it is suspect
// (stamps from other devices may run a little ahead).
inline constexpr std::int64_t kHlcSlackMs = 5 * 60 * 1000;

Result<std::int64_t> server_offset(Db& db);
// Stores the offset the server reported (server time - device clock); the
// clock is no longer in doubt for what was stamped before.
Status set_server_offset(Db& db, std::int64_t offset_ms);
// Device clock + server offset.
Result<std::int64_t> kiosk_now(Db& db, const Clock& clock);

// The next local HLC stamp at corrected time `now_ms`, remembered in the
// store. REQUIRES: inside a transaction (append_record calls it).
Result<sync::Hlc> next_hlc(Db& db, std::int64_t now_ms);
// Merges a stamp seen on a record from elsewhere. REQUIRES: in a transaction.
Status observe_hlc(Db& db, const sync::Hlc& remote, std::int64_t now_ms);
Result<sync::Hlc> last_hlc(Db& db);

struct TimeStatus {
  std::int64_t now_ms = 0;    // corrected time
  bool before_build = false;  // earlier than the day this software was built
  bool behind_hlc = false;    // earlier than this kiosk's last stamp (beyond slack)
  bool confirmed = false;     // a trainer confirmed the time since
  // Sessions may open and take attendance.
  bool trusted() const { return confirmed || (!before_build && !behind_hlc); }
};
Result<TimeStatus> time_status(Db& db, const Clock& clock);

// A trainer (or site admin) confirms the kiosk's time; when `actual_ms` is
// given the offset is set so corrected time reads it. Covers the anomalies
// seen now (a later jump back needs a new confirmation). Audited.
Status confirm_time(Db& db, const Clock& clock, const Actor& actor,
                    std::optional<std::int64_t> actual_ms = std::nullopt);

}  // namespace chz::kiosk
