#include "kiosk/store.h"

#include <sys/stat.h>

#include <fmt/format.h>

#include "common/fs.h"
#include "kiosk/schema.h"

namespace chz::kiosk {

namespace fs = std::filesystem;

namespace schema {
Status core(Db& db) {
  return db.exec(R"sql(
    CREATE TABLE settings(
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE device_identity(
      one        INTEGER PRIMARY KEY CHECK (one = 1),
      device_id  TEXT NOT NULL,
      public_key BLOB NOT NULL CHECK (length(public_key) = 32),
      secret_key BLOB NOT NULL CHECK (length(secret_key) = 32),
      created_ms INTEGER NOT NULL
    );
  )sql");
}
}  // namespace schema

Result<Store> Store::init(const fs::path& dir, const Clock& clock, const StoreOpenOptions& o) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status(Code::kIoError, "cannot create " + dir.string() + ": " + ec.message());
  ::chmod(dir.c_str(), 0700);
  auto p = StorePaths::in(dir);
  CHZ_ASSIGN_OR_RETURN(Db db, create_store(p, o));
  CHZ_TRY(migrate(db, kiosk_migrations()));
  auto kp = ed25519_generate();
  std::array<std::uint8_t, 6> rid;
  random_bytes(rid);
  std::string device_id = "kiosk-" + hex(rid);
  CHZ_TRY(
      db.run("INSERT INTO device_identity(one, device_id, public_key, secret_key, created_ms) "
             "VALUES (1, ?, ?, ?, ?)",
             device_id, Bytes(kp.pub.begin(), kp.pub.end()),
             Bytes(kp.secret.begin(), kp.secret.end()), clock.now_ms()));
  return Store(dir, std::move(db));
}

Result<Store> Store::open(const fs::path& dir, const StoreOpenOptions& o) {
  CHZ_ASSIGN_OR_RETURN(Db db, open_store(StorePaths::in(dir), o));
  auto backup = [&](int from) -> Status {
    std::error_code ec;
    fs::create_directories(dir / "backups", ec);
    auto to = dir / "backups" / fmt::format("store-v{}-{}.db", from, SystemClock().now_ms());
    CHZ_ASSIGN_OR_RETURN(Key32 key, read_key_file(StorePaths::in(dir).key));
    return backup_store(db, key, to);
  };
  CHZ_TRY(migrate(db, kiosk_migrations(), backup));
  return Store(dir, std::move(db));
}

Result<DeviceIdentity> Store::identity() {
  CHZ_ASSIGN_OR_RETURN(Stmt st, db_.prepare("SELECT device_id, public_key, secret_key, created_ms "
                                            "FROM device_identity WHERE one = 1"));
  CHZ_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return Status(Code::kNotFound, "the store has no device identity");
  DeviceIdentity id;
  id.device_id = st.text(0);
  Bytes pub = st.blob(1), sec = st.blob(2);
  std::copy(pub.begin(), pub.end(), id.public_key.begin());
  std::copy(sec.begin(), sec.end(), id.secret_key.begin());
  id.created_ms = st.int64(3);
  return id;
}

Result<StoreInfo> Store::info() {
  StoreInfo in;
  in.dir = dir_;
  CHZ_ASSIGN_OR_RETURN(in.schema_version, db_.user_version());
  in.schema_latest = static_cast<int>(kiosk_migrations().size());
  CHZ_ASSIGN_OR_RETURN(in.cipher_version, cipher_version(db_));
  std::error_code ec;
  auto p = paths();
  in.db_bytes = fs::file_size(p.db, ec);
  in.wal_bytes = fs::file_size(fs::path(p.db.string() + "-wal"), ec);
  if (ec) in.wal_bytes = 0;
  auto id = identity();
  if (id.ok()) in.device_id = id->device_id;
  CHZ_ASSIGN_OR_RETURN(Stmt st, db_.prepare("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' ORDER BY name"));
  std::vector<std::string> tables;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    tables.push_back(st.text(0));
  }
  for (auto& t : tables) {
    CHZ_ASSIGN_OR_RETURN(in.row_counts[t], db_.query_int("SELECT count(*) FROM \"" + t + "\""));
  }
  return in;
}

Status Store::check() {
  std::string problems;
  Status st = db_.integrity_check();
  if (!st.ok()) problems += st.message() + "\n";
  for (const auto& c : kiosk_store_checks()) {
    Status cs = c.run(db_);
    if (!cs.ok()) problems += std::string(c.name) + ": " + cs.message() + "\n";
  }
  if (!problems.empty()) return Status(Code::kCorrupt, problems);
  return OkStatus();
}

Status Store::rotate_key() {
  return rekey_store(paths(), db_);
}

Status Store::set_setting(std::string_view key, std::string_view value) {
  // SQLite 3.15: no UPSERT; INSERT OR REPLACE on a WITHOUT ROWID table is fine.
  return db_.run("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", key, value);
}

Result<std::string> Store::setting(std::string_view key) {
  return db_.query_text("SELECT value FROM settings WHERE key = ?", key);
}

}  // namespace chz::kiosk
