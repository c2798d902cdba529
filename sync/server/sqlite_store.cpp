// The embedded backend: one SQLCipher store (common/store_file.h) in the
// data folder, WAL, synchronous=FULL. One connection behind a mutex: SQLite
// has one writer anyway, and batches are committed whole. Records are kept
// as stored batches (sqlite_batches.h); schema step 1 made a per-record
// table that step 2 moves there.
#include <filesystem>
#include <mutex>

#include "common/store_file.h"
#include "sync/protocol/cert_number.h"
#include "sync/protocol/hlc.h"
#include "sync/protocol/wire.h"
#include "sync/server/county_model.h"
#include "sync/server/sqlite_batches.h"
#include "sync/server/store.h"

namespace chz::server {
namespace {

constexpr std::string_view kSchema = R"SQL(
CREATE TABLE sites(id TEXT PRIMARY KEY, name TEXT NOT NULL, township TEXT NOT NULL);
CREATE TABLE codes(code_id TEXT PRIMARY KEY, key BLOB NOT NULL, site TEXT NOT NULL,
  expires_ms INTEGER NOT NULL, used_ms INTEGER);
CREATE TABLE devices(id TEXT PRIMARY KEY, site TEXT NOT NULL, pub BLOB NOT NULL, box_pub BLOB NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0, last_counter INTEGER NOT NULL DEFAULT 0,
  cursor INTEGER NOT NULL DEFAULT 0, enrolled_ms INTEGER NOT NULL);
CREATE TABLE records(id INTEGER PRIMARY KEY, origin TEXT NOT NULL, seq INTEGER NOT NULL,
  site TEXT NOT NULL, uuid TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL, hlc TEXT NOT NULL,
  wall_ms INTEGER NOT NULL, offset_ms INTEGER NOT NULL, hash BLOB NOT NULL, received_ms INTEGER NOT NULL,
  UNIQUE(origin, seq));
CREATE INDEX records_site ON records(site, id);
CREATE TABLE faults(id INTEGER PRIMARY KEY, device TEXT NOT NULL, seq INTEGER NOT NULL,
  what TEXT NOT NULL, at_ms INTEGER NOT NULL);
CREATE TABLE content(id TEXT PRIMARY KEY, bytes BLOB NOT NULL, published_ms INTEGER NOT NULL);
CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL);
)SQL";

// Step 3: the device short number (an additive column; NULL for devices
// enrolled before, which keep their old certificate numbers).
constexpr std::string_view kDeviceNumbers = R"SQL(
ALTER TABLE devices ADD COLUMN number INTEGER;
CREATE UNIQUE INDEX devices_number ON devices(number);
)SQL";

// Step 4: when each device last made a signed request (a sync that sends
// nothing is contact too).
constexpr std::string_view kDeviceLastSeen = R"SQL(
ALTER TABLE devices ADD COLUMN last_seen_ms INTEGER NOT NULL DEFAULT 0;
)SQL";

const Migration kMigrations[] = {
    {1, "initial", [](Db& db) { return db.exec(kSchema); }},
    {2, "records as batches", batches::migrate_records_to_batches},
    {3, "device short numbers", [](Db& db) { return db.exec(kDeviceNumbers); }},
    {4, "device last contact", [](Db& db) { return db.exec(kDeviceLastSeen); }}};

Key32 key_of(const Bytes& b) {
  Key32 k{};
  if (b.size() == 32) std::copy(b.begin(), b.end(), k.begin());
  return k;
}

class SqliteStore final : public ServerStore {
 public:
  explicit SqliteStore(Db db) : db_(std::move(db)) {}

  Status add_site(const std::string& id, const std::string& name,
                  const std::string& township) override {
    std::lock_guard g(mu_);
    return db_.run("INSERT OR REPLACE INTO sites(id, name, township) VALUES(?,?,?)", id, name,
                   township);
  }
  Result<std::string> site_name(const std::string& id) override {
    std::lock_guard g(mu_);
    return db_.query_text("SELECT name FROM sites WHERE id=?", id);
  }
  Result<std::vector<std::string>> sites() override {
    std::lock_guard g(mu_);
    CHZ_ASSIGN_OR_RETURN(Stmt st, db_.prepare("SELECT id FROM sites ORDER BY id"));
    std::vector<std::string> out;
    for (;;) {
      CHZ_ASSIGN_OR_RETURN(bool row, st.step());
      if (!row) break;
      out.push_back(st.text(0));
    }
    return out;
  }

  Status add_code(const CodeRow& c) override {
    std::lock_guard g(mu_);
    return db_.run("INSERT INTO codes(code_id, key, site, expires_ms) VALUES(?,?,?,?)", c.code_id,
                   Bytes(c.key.begin(), c.key.end()), c.site, c.expires_ms);
  }
  Result<CodeRow> code(const std::string& id) override {
    std::lock_guard g(mu_);
    CHZ_ASSIGN_OR_RETURN(
        Stmt st, db_.prepare("SELECT key, site, expires_ms, used_ms FROM codes WHERE code_id=?"));
    st.bind(1, id);
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return Status(Code::kNotFound, "no such enrollment code");
    return CodeRow{id, key_of(st.blob(0)), st.text(1), st.int64(2), !st.is_null(3)};
  }
  Result<int> enroll_device(const std::string& code_id, std::int64_t now,
                            const DeviceRow& d) override {
    std::lock_guard g(mu_);
    std::int64_t number = 0;
    CHZ_TRY(db_.transaction([&]() -> Status {
      CHZ_TRY(
          db_.run("UPDATE codes SET used_ms=? WHERE code_id=? AND used_ms IS NULL AND expires_ms>?",
                  now, code_id, now));
      if (db_.changes() != 1)
        return Status(Code::kUnauthenticated, "enrollment code used or expired", "sync.bad_code");
      // A device enrolling again keeps its number; else the next one.
      CHZ_ASSIGN_OR_RETURN(number, db_.query_int("SELECT COALESCE((SELECT number FROM devices "
                                                 "WHERE id=?), (SELECT COALESCE(MAX(number), 0) "
                                                 "+ 1 FROM devices))",
                                                 d.id));
      if (number > sync::kMaxDeviceNumber) return devices_full();
      return db_.run(
          "INSERT OR REPLACE INTO devices(id, site, pub, box_pub, enrolled_ms, number) "
          "VALUES(?,?,?,?,?,?)",
          d.id, d.site, Bytes(d.pub.begin(), d.pub.end()),
          Bytes(d.box_pub.begin(), d.box_pub.end()), now, number);
    }));
    return static_cast<int>(number);
  }

  Result<DeviceRow> device(const std::string& id) override {
    std::lock_guard g(mu_);
    return device_locked(id);
  }
  Status add_forwarded_device(const DeviceRow& d) override {
    std::lock_guard g(mu_);
    return db_.run(
        "INSERT OR IGNORE INTO devices(id, site, pub, box_pub, revoked, cursor, enrolled_ms, "
        "last_counter) VALUES(?,?,?,?,?,0,?,0)",
        d.id, d.site, Bytes(d.pub.begin(), d.pub.end()), Bytes(d.box_pub.begin(), d.box_pub.end()),
        d.revoked ? 1 : 0, d.enrolled_ms);
  }
  Result<std::vector<DeviceRow>> devices() override {
    std::lock_guard g(mu_);
    std::vector<std::string> ids;
    {
      CHZ_ASSIGN_OR_RETURN(Stmt st, db_.prepare("SELECT id FROM devices ORDER BY id"));
      for (;;) {
        CHZ_ASSIGN_OR_RETURN(bool row, st.step());
        if (!row) break;
        ids.push_back(st.text(0));
      }
    }
    std::vector<DeviceRow> out;
    for (const auto& id : ids) {
      CHZ_ASSIGN_OR_RETURN(DeviceRow d, device_locked(id));
      out.push_back(std::move(d));
    }
    return out;
  }
  Result<std::pair<std::string, std::string>> site_info(const std::string& id) override {
    std::lock_guard g(mu_);
    CHZ_ASSIGN_OR_RETURN(Stmt st, db_.prepare("SELECT name, township FROM sites WHERE id=?"));
    st.bind(1, id);
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return Status(Code::kNotFound, "no such site");
    return std::pair{st.text(0), st.text(1)};
  }
  Status revoke_device(const std::string& id) override {
    std::lock_guard g(mu_);
    CHZ_TRY(db_.run("UPDATE devices SET revoked=1 WHERE id=?", id));
    if (db_.changes() != 1) return Status(Code::kNotFound, "no such device");
    return OkStatus();
  }
  Result<std::vector<sync::api::DeviceKey>> device_keys() override {
    std::lock_guard g(mu_);
    CHZ_ASSIGN_OR_RETURN(Stmt st, db_.prepare("SELECT id, pub, revoked FROM devices ORDER BY id"));
    std::vector<sync::api::DeviceKey> out;
    for (;;) {
      CHZ_ASSIGN_OR_RETURN(bool row, st.step());
      if (!row) break;
      out.push_back({st.text(0), hex(st.blob(1)), st.int64(2) != 0});
    }
    return out;
  }

  Status bump_counter(const std::string& device, std::int64_t counter, std::int64_t now_ms,
                      std::int64_t* last) override {
    std::lock_guard g(mu_);
    CHZ_TRY(
        db_.run("UPDATE devices SET last_counter=?, last_seen_ms=? WHERE id=? AND last_counter<?",
                counter, now_ms, device, counter));
    bool ok = db_.changes() == 1;
    CHZ_ASSIGN_OR_RETURN(*last,
                         db_.query_int("SELECT last_counter FROM devices WHERE id=?", device));
    if (!ok)
      return Status(Code::kUnauthenticated, "replayed request (counter not above the last)",
                    "sync.replayed");
    return OkStatus();
  }

  Result<std::int64_t> ingest(const DeviceRow& dev, const std::vector<sync::Record>& records,
                              std::int64_t now, std::string_view wire,
                              const sync::Proof* proof) override {
    std::lock_guard g(mu_);
    return batches::ingest(db_, dev, records, wire, now, projector(), proof);
  }
  Result<std::vector<StoredProof>> proofs(const std::string& device, std::int64_t after_seq,
                                          std::size_t limit) override {
    std::lock_guard g(mu_);
    return batches::proofs(db_, device, after_seq, limit);
  }
  Status record_fault(const Fault& f) override {
    std::lock_guard g(mu_);
    return db_.run("INSERT INTO faults(device, seq, what, at_ms) VALUES(?,?,?,?)", f.device, f.seq,
                   f.what, f.at_ms);
  }
  Result<std::vector<Fault>> faults() override {
    std::lock_guard g(mu_);
    CHZ_ASSIGN_OR_RETURN(Stmt st,
                         db_.prepare("SELECT device, seq, what, at_ms FROM faults ORDER BY id"));
    std::vector<Fault> out;
    for (;;) {
      CHZ_ASSIGN_OR_RETURN(bool row, st.step());
      if (!row) break;
      out.push_back({st.text(0), st.int64(1), st.text(2), st.int64(3)});
    }
    return out;
  }

  Result<FeedPage> feed(const std::string& site, const std::string& exclude, std::int64_t after,
                        std::size_t limit) override {
    std::lock_guard g(mu_);
    return batches::feed(db_, site, exclude, after, limit);
  }
  Result<std::vector<sync::Record>> records_of(const std::string& origin,
                                               std::int64_t after_seq) override {
    std::lock_guard g(mu_);
    return batches::records_of(db_, origin, after_seq);
  }
  Status append_county(const std::vector<CountyWrite>& w, std::int64_t now) override {
    std::lock_guard g(mu_);
    return batches::append_county(db_, w, now, projector());
  }

  Status put_content(const std::string& id, const std::string& bytes, std::int64_t now) override {
    std::lock_guard g(mu_);
    return db_.run("INSERT OR REPLACE INTO content(id, bytes, published_ms) VALUES(?,?,?)", id,
                   Bytes(bytes.begin(), bytes.end()), now);
  }
  Result<std::string> content(const std::string& id) override {
    std::lock_guard g(mu_);
    CHZ_ASSIGN_OR_RETURN(Stmt st, db_.prepare("SELECT bytes FROM content WHERE id=?"));
    st.bind(1, id);
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return Status(Code::kNotFound, "no such content package", "sync.not_found");
    Bytes b = st.blob(0);
    return std::string(b.begin(), b.end());
  }

  Status model(const std::function<Status(ModelTx&)>& fn) override {
    std::lock_guard g(mu_);
    return db_.transaction([&] { return fn(tx_); });
  }

 private:
  // The read model over this store's one connection; used under mu_.
  class Tx final : public ModelTx {
   public:
    explicit Tx(Db& db) : db_(db), sql_(db) {}
    Sql& sql() override { return sql_; }
    Result<std::int64_t> records_after(std::int64_t after, std::size_t limit,
                                       std::vector<StoredRecord>* out) override {
      return batches::records_after(db_, after, limit, out);
    }

   private:
    Db& db_;
    SqliteSql sql_;
  };
  batches::OnStored projector() {
    return
        [this](const std::vector<StoredRecord>& recs) { return model::project(tx_.sql(), recs); };
  }

  Result<DeviceRow> device_locked(const std::string& id) {
    CHZ_ASSIGN_OR_RETURN(
        Stmt st,
        db_.prepare("SELECT site, pub, box_pub, revoked, cursor, enrolled_ms, last_counter, "
                    "COALESCE(number, 0) FROM devices WHERE id=?"));
    st.bind(1, id);
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return Status(Code::kUnauthenticated, "unknown device", "sync.unknown_device");
    return DeviceRow{id,
                     st.text(0),
                     key_of(st.blob(1)),
                     key_of(st.blob(2)),
                     st.int64(3) != 0,
                     st.int64(4),
                     st.int64(5),
                     st.int64(6),
                     static_cast<int>(st.int64(7))};
  }

  std::mutex mu_;
  Db db_;
  Tx tx_{db_};  // after db_: its statements are finalised before the store closes
};

}  // namespace

Result<std::unique_ptr<ServerStore>> open_sqlite_store(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status(Code::kIoError, "cannot create data folder " + dir);
  auto paths = StorePaths::in(dir, "county");
  Result<Db> db = std::filesystem::exists(paths.db) ? open_store(paths) : create_store(paths);
  if (!db.ok()) return db.status();
  CHZ_TRY(migrate(*db, kMigrations));
  CHZ_TRY(batches::ensure_proofs(*db));
  auto store = std::make_unique<SqliteStore>(std::move(*db));
  CHZ_TRY(store->model([](ModelTx& tx) { return model::ensure(tx); }));
  return std::unique_ptr<ServerStore>(std::move(store));
}

Result<std::unique_ptr<ServerStore>> open_store(const std::string& dir, const std::string& db_url) {
  if (!db_url.empty()) return open_pg_store(db_url);
  return open_sqlite_store(dir);
}

}  // namespace chz::server
