#include "kiosk/kiosk_time.h"

#include "common/build_info.h"
#include "kiosk/audit.h"

namespace chz::kiosk {

namespace {

Result<std::int64_t> setting_int(Db& db, std::string_view key, std::int64_t dflt) {
  auto v = db.query_text("SELECT value FROM settings WHERE key = ?", key);
  if (!v.ok())
    return v.status().code() == Code::kNotFound ? Result<std::int64_t>(dflt) : v.status();
  try {
    return static_cast<std::int64_t>(std::stoll(*v));
  } catch (const std::exception&) {
    return Status(Code::kCorrupt, "setting " + std::string(key) + " is not a number");
  }
}

Status put_setting(Db& db, std::string_view key, std::int64_t v) {
  return db.run("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", key,
                std::to_string(v));
}

Result<std::int64_t> local_high(Db& db) {
  return db.query_int("SELECT local_high_ms FROM sync_state WHERE one = 1");
}

Status store_hlc(Db& db, const sync::Hlc& h) {
  return db.run("UPDATE sync_state SET hlc = ? WHERE one = 1", h.text());
}

}  // namespace

Result<std::int64_t> server_offset(Db& db) {
  return db.query_int("SELECT offset_ms FROM sync_state WHERE one = 1");
}

Status set_server_offset(Db& db, std::int64_t offset_ms) {
  // The server's time is the reference: whatever this kiosk stamped before
  // no longer puts its corrected clock in doubt.
  CHZ_ASSIGN_OR_RETURN(std::int64_t high, local_high(db));
  CHZ_TRY(put_setting(db, "time.confirmed_hlc_ms", high));
  return db.run("UPDATE sync_state SET offset_ms = ? WHERE one = 1", offset_ms);
}

Result<std::int64_t> kiosk_now(Db& db, const Clock& clock) {
  CHZ_ASSIGN_OR_RETURN(std::int64_t off, server_offset(db));
  return clock.now_ms() + off;
}

Result<sync::Hlc> last_hlc(Db& db) {
  CHZ_ASSIGN_OR_RETURN(std::string t, db.query_text("SELECT hlc FROM sync_state WHERE one = 1"));
  if (t.empty()) return sync::Hlc{};
  return sync::Hlc::parse(t);
}

Result<sync::Hlc> next_hlc(Db& db, std::int64_t now_ms) {
  CHZ_ASSIGN_OR_RETURN(sync::Hlc last, last_hlc(db));
  sync::HlcClock c(last);
  sync::Hlc h = c.tick(now_ms);
  CHZ_TRY(store_hlc(db, h));
  CHZ_TRY(db.run("UPDATE sync_state SET local_high_ms = ? WHERE one = 1 AND local_high_ms < ?",
                 now_ms, now_ms));
  return h;
}

Status observe_hlc(Db& db, const sync::Hlc& remote, std::int64_t now_ms) {
  CHZ_ASSIGN_OR_RETURN(sync::Hlc last, last_hlc(db));
  sync::HlcClock c(last);
  return store_hlc(db, c.observe(remote, now_ms));
}

Result<TimeStatus> time_status(Db& db, const Clock& clock) {
  TimeStatus t;
  CHZ_ASSIGN_OR_RETURN(t.now_ms, kiosk_now(db, clock));
  CHZ_ASSIGN_OR_RETURN(std::int64_t high, local_high(db));
  std::int64_t build = china_midnight_ms({kBuildYear, kBuildMonth, kBuildDay});
  t.before_build = t.now_ms < build;
  t.behind_hlc = t.now_ms + kHlcSlackMs < high;
  CHZ_ASSIGN_OR_RETURN(std::int64_t conf_hlc, setting_int(db, "time.confirmed_hlc_ms", -1));
  CHZ_ASSIGN_OR_RETURN(std::int64_t conf_build, setting_int(db, "time.confirmed_before_build", 0));
  bool covers_hlc = !t.behind_hlc || conf_hlc >= high;
  bool covers_build = !t.before_build || conf_build == 1;
  t.confirmed = (t.before_build || t.behind_hlc) && covers_hlc && covers_build;
  return t;
}

Status confirm_time(Db& db, const Clock& clock, const Actor& actor,
                    std::optional<std::int64_t> actual_ms) {
  return db.transaction([&]() -> Status {
    CHZ_TRY(require_role(db, actor, {Role::kTrainer, Role::kSiteAdmin}));
    CHZ_ASSIGN_OR_RETURN(std::int64_t old_offset, server_offset(db));
    if (actual_ms) CHZ_TRY(set_server_offset(db, *actual_ms - clock.now_ms()));
    CHZ_ASSIGN_OR_RETURN(TimeStatus t, time_status(db, clock));
    CHZ_ASSIGN_OR_RETURN(std::int64_t high, local_high(db));
    CHZ_TRY(put_setting(db, "time.confirmed_hlc_ms", high));
    CHZ_TRY(put_setting(db, "time.confirmed_before_build", t.before_build ? 1 : 0));
    CHZ_ASSIGN_OR_RETURN(std::int64_t new_offset, server_offset(db));
    return append_audit(db, clock, actor.audit_name(), "time.confirm",
                        {{"device_ms", clock.now_ms()},
                         {"corrected_ms", t.now_ms},
                         {"old_offset_ms", old_offset},
                         {"offset_ms", new_offset},
                         {"before_build", t.before_build},
                         {"behind_hlc", t.behind_hlc}});
  });
}

}  // namespace chz::kiosk
