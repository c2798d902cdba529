#include "common/db.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>

namespace chz {

Code code_from_sqlite(int rc) {
  switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return Code::kOk;
    case SQLITE_NOTADB:
      return Code::kNotAStore;
    case SQLITE_CORRUPT:
      return Code::kCorrupt;
    case SQLITE_FULL:
      return Code::kDiskFull;
    case SQLITE_READONLY:
      return Code::kReadOnly;
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return Code::kPermissionDenied;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      return Code::kIoError;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Code::kUnavailable;
    case SQLITE_CONSTRAINT:
      return Code::kConflict;
    case SQLITE_TOOBIG:
      return Code::kTooLarge;
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      return Code::kInvalidArgument;
    default:
      return Code::kInternal;
  }
}

Status sqlite_error(sqlite3* db, int rc, std::string_view what) {
  Code c = code_from_sqlite(rc);
  std::string msg(what);
  switch (c) {
    case Code::kDiskFull:
      msg += ": the disk is full";
      break;
    case Code::kReadOnly:
      msg += ": the store is read-only (check disk and permissions)";
      break;
    case Code::kCorrupt:
      msg += ": the store is damaged";
      break;
    case Code::kNotAStore:
      msg += ": the file cannot be read as this store";
      break;
    case Code::kIoError:
      msg += ": input/output error";
      break;
    case Code::kUnavailable:
      msg += ": the store is busy";
      break;
    default:
      break;
  }
  if (db) {
    msg += " (sqlite: ";
    msg += sqlite3_errmsg(db);
    int e = sqlite3_system_errno(db);
    if (e != 0 && c == Code::kIoError) {
      if (e == ENOSPC) c = Code::kDiskFull;
      if (e == EROFS || e == EACCES) c = Code::kReadOnly;
      msg += ", errno ";
      msg += std::strerror(e);
    }
    msg += ")";
  }
  return Status(c, std::move(msg));
}

// ---- Stmt ----------------------------------------------------------------

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    if (s_) sqlite3_finalize(s_);
    db_ = o.db_;
    s_ = o.s_;
    o.s_ = nullptr;
  }
  return *this;
}
Stmt::~Stmt() {
  if (s_) sqlite3_finalize(s_);
}
Stmt& Stmt::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}
Stmt& Stmt::bind(int i, double v) {
  sqlite3_bind_double(s_, i, v);
  return *this;
}
Stmt& Stmt::bind(int i, std::string_view v) {
  sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind(int i, std::span<const std::uint8_t> v) {
  sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind(int i, std::nullptr_t) {
  sqlite3_bind_null(s_, i);
  return *this;
}
Result<bool> Stmt::step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(db_, rc, "statement failed");
}
Status Stmt::run() {
  for (;;) {
    auto r = step();
    if (!r.ok()) return r.status();
    if (!*r) return OkStatus();
  }
}
Status Stmt::reset() {
  int rc = sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, "reset failed");
  return OkStatus();
}
std::int64_t Stmt::int64(int col) const {
  return sqlite3_column_int64(s_, col);
}
double Stmt::real(int col) const {
  return sqlite3_column_double(s_, col);
}
std::string Stmt::text(int col) const {
  auto p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(s_, col))) : std::string();
}
Bytes Stmt::blob(int col) const {
  auto p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s_, col));
  return p ? Bytes(p, p + sqlite3_column_bytes(s_, col)) : Bytes();
}
bool Stmt::is_null(int col) const {
  return sqlite3_column_type(s_, col) == SQLITE_NULL;
}
bool Stmt::is_integer(int col) const {
  return sqlite3_column_type(s_, col) == SQLITE_INTEGER;
}
int Stmt::columns() const {
  return sqlite3_column_count(s_);
}
std::optional<std::int64_t> Stmt::opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}

// ---- Db ------------------------------------------------------------------

Db& Db::operator=(Db&& o) noexcept {
  if (this != &o) {
    close();
    h_ = o.h_;
    lock_ = std::move(o.lock_);
    o.h_ = nullptr;
  }
  return *this;
}
Db::~Db() {
  close();
}
void Db::close() {
  if (h_) sqlite3_close_v2(h_);
  h_ = nullptr;
  lock_.release();
}

Status Db::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(h_, s.c_str(), nullptr, nullptr, &err);
  if (err) sqlite3_free(err);
  if (rc != SQLITE_OK) return sqlite_error(h_, rc, "statement failed");
  return OkStatus();
}

Result<Stmt> Db::prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(h_, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) {
    Status st = sqlite_error(h_, rc, "prepare failed");
    if (s) sqlite3_finalize(s);
    return st;
  }
  return Stmt(h_, s);
}

Status Db::transaction(const std::function<Status()>& body) {
  CHZ_TRY(exec("BEGIN IMMEDIATE"));
  Status st = body();
  if (st.ok()) {
    st = exec("COMMIT");
    if (st.ok()) return st;
  }
  // After a failed COMMIT SQLite may already have rolled back; ignore that.
  if (!sqlite3_get_autocommit(h_)) exec("ROLLBACK").ignore();
  return st;
}

int Db::changes() const {
  return sqlite3_changes(h_);
}

Status Db::integrity_check() {
  auto st = prepare("PRAGMA integrity_check");
  if (!st.ok()) return st.status();
  std::string problems;
  for (;;) {
    auto row = st->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string line = st->text(0);
    if (line != "ok") problems += line + "\n";
  }
  if (!problems.empty()) return Status(Code::kCorrupt, "integrity check failed:\n" + problems);
  return OkStatus();
}

Result<int> Db::user_version() {
  auto v = query_int("PRAGMA user_version");
  if (!v.ok()) return v.status();
  return static_cast<int>(*v);
}
Status Db::set_user_version(int v) {
  return exec("PRAGMA user_version = " + std::to_string(v));
}

Status migrate(Db& db, std::span<const Migration> list,
               const std::function<Status(int from)>& before_upgrade) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i].version != static_cast<int>(i) + 1)
      return Status(Code::kInternal, "migration list is not 1, 2, 3...");
  }
  CHZ_ASSIGN_OR_RETURN(int have, db.user_version());
  const int want = static_cast<int>(list.size());
  if (have > want)
    return Status(Code::kNewerSchema,
                  "the store has schema version " + std::to_string(have) +
                      " but this program knows only up to " + std::to_string(want) +
                      "; install a newer Chizheng",
                  "store.newer_schema");
  if (have == want) return OkStatus();
  if (have > 0 && before_upgrade) CHZ_TRY(before_upgrade(have));
  for (int v = have + 1; v <= want; ++v) {
    const Migration& m = list[static_cast<size_t>(v - 1)];
    Status st = db.transaction([&]() -> Status {
      CHZ_TRY(m.apply(db));
      return db.set_user_version(v);
    });
    if (!st.ok())
      return Status(st.code(), "migration " + std::to_string(v) + " (" + std::string(m.name) +
                                   ") failed: " + st.message());
  }
  return OkStatus();
}

}  // namespace chz
