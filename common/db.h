// A small RAII wrapper over SQLCipher (the only SQLite linked anywhere).
//
// Db owns one connection; Stmt one prepared statement. Every call returns a
// Status/Result whose message is ours, never SQLite's raw "file is not a
// database". Opening an encrypted store (key file, diagnosis of a wrong key
// vs a corrupt or foreign file) lives in common/store_file.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/fs.h"
#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace chz {

using Bytes = std::vector<std::uint8_t>;

// Maps a SQLite result code (and errno for I/O) to our Code.
Code code_from_sqlite(int rc);
// A Status for a failed SQLite call: our words first, SQLite's detail after.
Status sqlite_error(sqlite3* db, int rc, std::string_view what);

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Binds are 1-based like SQLite's. Strings and blobs are copied.
  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind(int i, bool v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind(int i, double v);
  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, std::span<const std::uint8_t> v);
  Stmt& bind(int i, const Bytes& v) { return bind(i, std::span<const std::uint8_t>(v)); }
  Stmt& bind(int i, std::nullptr_t);
  template <class T>
  Stmt& bind(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind(i, nullptr);
  }
  template <class... A>
  Stmt& bind_all(const A&... a) {
    int i = 0;
    (bind(++i, a), ...);
    return *this;
  }

  // Steps once: true when a row is ready, false when done.
  Result<bool> step();
  // Steps to completion, ignoring rows.
  Status run();
  Status reset();

  std::int64_t int64(int col) const;
  double real(int col) const;
  std::string text(int col) const;
  Bytes blob(int col) const;
  bool is_null(int col) const;
  bool is_integer(int col) const;
  int columns() const;
  std::optional<std::int64_t> opt_int64(int col) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
};

class Db {
 public:
  Db() = default;
  explicit Db(sqlite3* h) : h_(h) {}
  Db(Db&& o) noexcept : h_(o.h_), lock_(std::move(o.lock_)) { o.h_ = nullptr; }
  Db& operator=(Db&& o) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  bool is_open() const { return h_ != nullptr; }
  sqlite3* handle() const { return h_; }
  // Closes the connection, then drops the store lock it holds (if any).
  void close();

  // The store's folder lock (common/store_file.h): held for as long as this
  // connection is open, released after it closes.
  void hold(FileLock lock) { lock_ = std::move(lock); }
  FileLock& lock() { return lock_; }
  FileLock take_lock() { return std::move(lock_); }

  // Runs one or more statements without parameters.
  Status exec(std::string_view sql);
  Result<Stmt> prepare(std::string_view sql);

  // Prepares, binds `args` in order and runs to completion.
  template <class... A>
  Status run(std::string_view sql, const A&... args) {
    auto st = prepare(sql);
    if (!st.ok()) return st.status();
    st->bind_all(args...);
    return st->run();
  }
  // First column of the first row as an integer; kNotFound if no row.
  template <class... A>
  Result<std::int64_t> query_int(std::string_view sql, const A&... args) {
    auto st = prepare(sql);
    if (!st.ok()) return st.status();
    st->bind_all(args...);
    auto row = st->step();
    if (!row.ok()) return row.status();
    if (!*row) return Status(Code::kNotFound, "no row");
    return st->int64(0);
  }
  template <class... A>
  Result<std::string> query_text(std::string_view sql, const A&... args) {
    auto st = prepare(sql);
    if (!st.ok()) return st.status();
    st->bind_all(args...);
    auto row = st->step();
    if (!row.ok()) return row.status();
    if (!*row) return Status(Code::kNotFound, "no row");
    return st->text(0);
  }

  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT. Commits iff body returns
  // OK and COMMIT succeeds; otherwise rolls back and returns the failure.
  // When this returns OK under synchronous=FULL the write is durable.
  Status transaction(const std::function<Status()>& body);

  int changes() const;

  // PRAGMA integrity_check: OK iff it answers "ok".
  Status integrity_check();
  Result<int> user_version();
  Status set_user_version(int v);

 private:
  sqlite3* h_ = nullptr;
  FileLock lock_;
};

// One step of a schema: applied in its own transaction, then user_version
// is set to `version`. Versions are 1, 2, 3... with no gaps.
struct Migration {
  int version;
  std::string_view name;
  std::function<Status(Db&)> apply;
};

// Brings `db` to the last migration. A store whose user_version is above the
// last known version is refused (kNewerSchema) and left untouched.
// `before_upgrade(from)` runs once before an existing (from > 0) store is
// changed: the caller makes its backup copy there; a failure aborts.
Status migrate(Db& db, std::span<const Migration> list,
               const std::function<Status(int from)>& before_upgrade = {});

}  // namespace chz
