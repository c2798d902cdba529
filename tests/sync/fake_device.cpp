#include "tests/sync/fake_device.h"

#include <fmt/format.h>

#include "common/store_file.h"
#include "sync/protocol/wire.h"

namespace chz::synctest {
namespace {
constexpr std::string_view kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS outbox(seq INTEGER PRIMARY KEY, uuid TEXT, kind TEXT, body TEXT, hlc TEXT,
  wall_ms INTEGER, offset_ms INTEGER);
CREATE TABLE IF NOT EXISTS applied(n INTEGER PRIMARY KEY, uuid TEXT UNIQUE, origin TEXT, seq INTEGER, kind TEXT,
  body TEXT, hlc TEXT, wall_ms INTEGER, offset_ms INTEGER);
CREATE TABLE IF NOT EXISTS kv(k TEXT PRIMARY KEY, v TEXT);
)SQL";
sync::Record row(Stmt& st, const std::string& origin, int base) {
  sync::Record r;
  r.meta.seq = st.int64(base);
  r.meta.uuid = st.text(base + 1);
  r.kind = st.text(base + 2);
  r.body = st.text(base + 3);
  r.meta.hlc = sync::Hlc::parse(st.text(base + 4)).value();
  r.meta.wall_ms = st.int64(base + 5);
  r.meta.offset_ms = st.int64(base + 6);
  r.meta.origin_device = origin;
  return r;
}
}  // namespace

Result<std::unique_ptr<FakeDevice>> FakeDevice::open(const std::filesystem::path& dir,
                                                     const std::string& id) {
  auto p = StorePaths::in(dir, "device");
  Result<Db> db = std::filesystem::exists(p.db) ? open_store(p) : create_store(p);
  if (!db.ok()) return db.status();
  CHZ_TRY(db->exec(kSchema));
  return std::unique_ptr<FakeDevice>(new FakeDevice(std::move(*db), id));
}

Status FakeDevice::add_attendance(int n, std::int64_t now) {
  return db_.transaction([&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(std::int64_t seq,
                         db_.query_int("SELECT COALESCE(MAX(seq),0) FROM outbox"));
    for (int i = 0; i < n; ++i) {
      ++seq;
      std::int64_t t = now + seq * 1000;
      std::string person = hex(sha256(fmt::format("阿依古丽·{}", seq % 37)));
      std::string body = fmt::format(
          R"({{"at_ms":{},"by":"self","event":"{}","person":"{}","session":"session-{}"}})", t,
          seq % 2 ? "in" : "out", person, seq / 50);
      CHZ_TRY(db_.run("INSERT INTO outbox VALUES(?,?,?,?,?,?,?)", seq,
                      sync::record_uuid(id_, seq, t), "attendance", body, sync::Hlc{t, 0}.text(), t,
                      0));
    }
    return OkStatus();
  });
}

Result<std::int64_t> FakeDevice::add_record(const std::string& kind, const std::string& body,
                                            std::int64_t now) {
  std::int64_t seq = 0;
  CHZ_TRY(db_.transaction([&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(seq, db_.query_int("SELECT COALESCE(MAX(seq),0) + 1 FROM outbox"));
    return db_.run("INSERT INTO outbox VALUES(?,?,?,?,?,?,?)", seq,
                   sync::record_uuid(id_, seq, now), kind, body, sync::Hlc{now, 0}.text(), now, 0);
  }));
  return seq;
}

Status FakeDevice::tamper(std::int64_t seq, const std::string& body) {
  return db_.run("UPDATE outbox SET body=? WHERE seq=?", body, seq);
}

Result<std::vector<sync::Record>> FakeDevice::records_after(std::int64_t after, std::size_t limit) {
  CHZ_ASSIGN_OR_RETURN(Stmt st,
                       db_.prepare("SELECT * FROM outbox WHERE seq>? ORDER BY seq LIMIT ?"));
  st.bind_all(after, static_cast<std::int64_t>(limit));
  std::vector<sync::Record> out;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool r, st.step());
    if (!r) break;
    out.push_back(row(st, id_, 0));
  }
  return out;
}
Result<std::vector<sync::Record>> FakeDevice::outbox() {
  return records_after(0, 1u << 30);
}
Result<std::int64_t> FakeDevice::last_seq() {
  return db_.query_int("SELECT COALESCE(MAX(seq),0) FROM outbox");
}
Status FakeDevice::set_acknowledged(std::int64_t seq) {
  CHZ_ASSIGN_OR_RETURN(std::int64_t cur, acknowledged());
  if (seq <= cur) return OkStatus();
  return set("ack", std::to_string(seq));
}
Result<std::int64_t> FakeDevice::acknowledged() {
  auto v = get("ack");
  return v.ok() ? std::stoll(*v) : 0;
}
Result<std::int64_t> FakeDevice::apply(const std::vector<sync::Record>& records,
                                       const std::string& cursor) {
  std::int64_t fresh = 0;
  CHZ_TRY(db_.transaction([&]() -> Status {
    fresh = 0;
    for (const auto& r : records) {
      CHZ_TRY(db_.run(
          "INSERT OR IGNORE INTO applied(uuid, origin, seq, kind, body, hlc, wall_ms, offset_ms) "
          "VALUES(?,?,?,?,?,?,?,?)",
          r.meta.uuid, r.meta.origin_device, r.meta.seq, r.kind, r.body, r.meta.hlc.text(),
          r.meta.wall_ms, r.meta.offset_ms));
      fresh += db_.changes();
    }
    return db_.run("INSERT OR REPLACE INTO kv VALUES('feed', ?)", cursor);
  }));
  return fresh;
}
Result<std::string> FakeDevice::feed_cursor() {
  auto v = get("feed");
  if (!v.ok()) return std::string();
  return v;
}
Result<std::vector<sync::Record>> FakeDevice::applied() {
  CHZ_ASSIGN_OR_RETURN(Stmt st,
                       db_.prepare("SELECT seq, uuid, kind, body, hlc, wall_ms, offset_ms, origin "
                                   "FROM applied ORDER BY n"));
  std::vector<sync::Record> out;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool r, st.step());
    if (!r) break;
    out.push_back(row(st, st.text(7), 0));
  }
  return out;
}
Result<std::int64_t> FakeDevice::applied_count() {
  return db_.query_int("SELECT COUNT(*) FROM applied");
}
Status FakeDevice::set(const std::string& k, const std::string& v) {
  return db_.run("INSERT OR REPLACE INTO kv VALUES(?,?)", k, v);
}
Result<std::string> FakeDevice::get(const std::string& k) {
  return db_.query_text("SELECT v FROM kv WHERE k=?", k);
}

}  // namespace chz::synctest
