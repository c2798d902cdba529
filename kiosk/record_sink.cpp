#include "kiosk/record_sink.h"

#include "kiosk/audit.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/outbox.h"
#include "kiosk/projection.h"

namespace chz::kiosk {

KioskRecordSink::KioskRecordSink(Db& db, const Clock& clock, ExtraProjector extra)
    : db_(db), clock_(clock), extra_(std::move(extra)) {}

Result<std::int64_t> KioskRecordSink::apply(const std::vector<sync::Record>& records,
                                            const std::string& cursor) {
  std::int64_t applied = 0;
  CHZ_TRY(db_.transaction([&]() -> Status {
    applied = 0;  // a retried body counts afresh
    CHZ_ASSIGN_OR_RETURN(std::string me, device_id(db_));
    CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db_, clock_));
    for (const auto& r : records) {
      if (r.meta.origin_device == me) continue;
      CHZ_ASSIGN_OR_RETURN(std::int64_t seen,
                           db_.query_int("SELECT count(*) FROM inbox WHERE uuid = ?", r.meta.uuid));
      if (seen) continue;
      CHZ_TRY(db_.run(
          "INSERT INTO inbox(uuid, origin_device, seq, kind, body, hlc, wall_ms, offset_ms) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          r.meta.uuid, r.meta.origin_device, r.meta.seq, r.kind, r.body, r.meta.hlc.text(),
          r.meta.wall_ms, r.meta.offset_ms));
      CHZ_TRY(observe_hlc(db_, r.meta.hlc, now));
      CHZ_TRY(project_record(db_, r));
      if (!is_domain_kind(r.kind) && extra_) CHZ_TRY(extra_(db_, r));
      ++applied;
    }
    CHZ_TRY(db_.run("UPDATE sync_state SET feed_cursor = ? WHERE one = 1", cursor));
    if (applied == 0) return OkStatus();
    return append_audit(db_, clock_, "system", "sync.apply", {{"records", applied}});
  }));
  return applied;
}

Result<std::string> KioskRecordSink::feed_cursor() {
  return db_.query_text("SELECT feed_cursor FROM sync_state WHERE one = 1");
}

}  // namespace chz::kiosk
