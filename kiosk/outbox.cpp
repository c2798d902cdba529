#include "kiosk/outbox.h"

#include "kiosk/kiosk_time.h"
#include "sync/protocol/wire.h"

namespace chz::kiosk {

namespace {

bool has_float(const nlohmann::json& j) {
  if (j.is_number_float()) return true;
  if (j.is_structured())
    for (const auto& v : j)
      if (has_float(v)) return true;
  return false;
}

}  // namespace

Result<std::string> canonical_body(const nlohmann::json& body) {
  if (!body.is_object()) return Status(Code::kInvalidArgument, "a record body is a JSON object");
  if (has_float(body))
    return Status(Code::kInvalidArgument, "record bodies hold integers only, never floats");
  try {
    return body.dump();
  } catch (const std::exception& e) {  // invalid UTF-8 in a string
    return Status(Code::kInvalidArgument,
                  std::string("record body is not valid UTF-8: ") + e.what());
  }
}

Result<std::string> device_id(Db& db) {
  auto id = db.query_text("SELECT device_id FROM device_identity WHERE one = 1");
  if (!id.ok() && id.status().code() == Code::kNotFound)
    return Status(Code::kFailedPrecondition, "the store has no device identity");
  return id;
}

Result<sync::RecordMeta> append_record(Db& db, const Clock& clock, std::string_view kind,
                                       const nlohmann::json& body) {
  CHZ_ASSIGN_OR_RETURN(std::string text, canonical_body(body));
  if (kind.empty()) return Status(Code::kInvalidArgument, "a record needs a kind");
  sync::RecordMeta m;
  CHZ_ASSIGN_OR_RETURN(m.origin_device, device_id(db));
  CHZ_ASSIGN_OR_RETURN(m.offset_ms, server_offset(db));
  m.wall_ms = clock.now_ms();
  CHZ_ASSIGN_OR_RETURN(m.hlc, next_hlc(db, m.wall_ms + m.offset_ms));
  CHZ_ASSIGN_OR_RETURN(m.seq, db.query_int("SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox"));
  // Derived from (device, seq): unique, time-ordered, and about one byte on
  // the wire instead of sixteen (sync/protocol/wire.h).
  m.uuid = sync::record_uuid(m.origin_device, m.seq, m.wall_ms + m.offset_ms);
  CHZ_TRY(
      db.run("INSERT INTO outbox(seq, uuid, kind, body, hlc, wall_ms, offset_ms) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)",
             m.seq, m.uuid, kind, text, m.hlc.text(), m.wall_ms, m.offset_ms));
  return m;
}

KioskRecordSource::KioskRecordSource(Db& db) : db_(db) {
  auto id = kiosk::device_id(db);
  if (id.ok()) device_id_ = *id;
}

Result<std::vector<sync::Record>> KioskRecordSource::records_after(std::int64_t after,
                                                                   std::size_t limit) {
  CHZ_ASSIGN_OR_RETURN(Stmt st, db_.prepare("SELECT seq, uuid, kind, body, hlc, wall_ms, offset_ms "
                                            "FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?"));
  st.bind_all(after, static_cast<std::int64_t>(limit));
  std::vector<sync::Record> out;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    sync::Record r;
    r.meta.seq = st.int64(0);
    r.meta.uuid = st.text(1);
    r.kind = st.text(2);
    r.body = st.text(3);
    CHZ_ASSIGN_OR_RETURN(r.meta.hlc, sync::Hlc::parse(st.text(4)));
    r.meta.wall_ms = st.int64(5);
    r.meta.offset_ms = st.int64(6);
    r.meta.origin_device = device_id_;
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::int64_t> KioskRecordSource::last_seq() {
  return db_.query_int("SELECT COALESCE(MAX(seq), 0) FROM outbox");
}

Status KioskRecordSource::set_acknowledged(std::int64_t seq) {
  return db_.transaction([&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(std::int64_t last, last_seq());
    if (seq > last)
      return Status(Code::kOutOfRange, "acknowledged seq " + std::to_string(seq) +
                                           " is beyond the last written " + std::to_string(last));
    return db_.run("UPDATE sync_state SET acknowledged = ? WHERE one = 1 AND acknowledged < ?", seq,
                   seq);
  });
}

Result<std::int64_t> KioskRecordSource::acknowledged() {
  return db_.query_int("SELECT acknowledged FROM sync_state WHERE one = 1");
}

}  // namespace chz::kiosk

#include "kiosk/outbox_checks.h"

namespace chz::kiosk {

Status verify_outbox_sequence(Db& db) {
  CHZ_ASSIGN_OR_RETURN(std::int64_t n, db.query_int("SELECT count(*) FROM outbox"));
  CHZ_ASSIGN_OR_RETURN(std::int64_t mx, db.query_int("SELECT COALESCE(MAX(seq), 0) FROM outbox"));
  CHZ_ASSIGN_OR_RETURN(std::int64_t mn, db.query_int("SELECT COALESCE(MIN(seq), 1) FROM outbox"));
  if (n != mx || mn != 1)
    return Status(Code::kCorrupt, "outbox sequence has a gap: " + std::to_string(n) +
                                      " records but the highest seq is " + std::to_string(mx));
  CHZ_ASSIGN_OR_RETURN(std::int64_t ack,
                       db.query_int("SELECT acknowledged FROM sync_state WHERE one = 1"));
  if (ack > mx)
    return Status(Code::kCorrupt,
                  "acknowledged seq " + std::to_string(ack) + " is beyond the outbox");
  return OkStatus();
}

}  // namespace chz::kiosk
