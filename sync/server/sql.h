// The one small storage seam the county's read model is written against,
// so its projection and its statistics are one body of SQL for both
// backends. Statements use `?` placeholders and the SQL both SQLite 3.15
// and PostgreSQL 15 accept; the one construct they spell differently,
// "INSERT OR IGNORE INTO …", is written the SQLite way and rewritten to
// "INSERT INTO … ON CONFLICT DO NOTHING" for PostgreSQL. No UPSERT, no
// window functions, no RETURNING (SQLite 3.15 has none of them).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/db.h"
#include "common/status.h"
#include "sync/protocol/record.h"

namespace chz::server {

using SqlValue = std::variant<std::nullptr_t, std::int64_t, std::string>;
using SqlArgs = std::vector<SqlValue>;

// One result row. PostgreSQL hands every value back as text; the accessors
// read integers from either form.
struct SqlRow {
  std::vector<SqlValue> v;
  bool null(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(v.at(i)); }
  std::int64_t i64(std::size_t i) const;  // 0 for NULL or non-numeric text
  std::string text(std::size_t i) const;  // "" for NULL
  // Every column's text joined by `sep`, NULL as `null_mark`: a row as one
  // line, to compare or hash rows whatever their columns.
  std::string joined(std::string_view sep, std::string_view null_mark) const;
};

class Sql {
 public:
  enum class Dialect { kSqlite, kPostgres };
  virtual ~Sql() = default;
  virtual Dialect dialect() const = 0;
  // Runs one statement; returns the number of rows it changed.
  virtual Result<std::int64_t> exec(std::string_view sql, const SqlArgs& args = {}) = 0;
  virtual Result<std::vector<SqlRow>> query(std::string_view sql, const SqlArgs& args = {}) = 0;
  // Calls `fn` for each row as it is read (the embedded store streams;
  // PostgreSQL holds the whole result client-side, as libpq does).
  virtual Status each(std::string_view sql, const SqlArgs& args,
                      const std::function<Status(const SqlRow&)>& fn) = 0;

  // Conveniences over query: the first column of the first row.
  Result<std::int64_t> scalar(std::string_view sql, const SqlArgs& args = {});  // kNotFound
  Result<std::string> text(std::string_view sql, const SqlArgs& args = {});     // kNotFound
};

// `sql` for PostgreSQL: `?` → `$1, $2, …` (outside quotes) and
// "INSERT OR IGNORE INTO …" → "INSERT INTO … ON CONFLICT DO NOTHING".
std::string postgres_sql(std::string_view sql);

// The embedded store's Sql over an open Db, inside the caller's
// transaction; prepared statements are cached by text.
class SqliteSql final : public Sql {
 public:
  explicit SqliteSql(Db& db) : db_(db) {}
  Dialect dialect() const override { return Dialect::kSqlite; }
  Result<std::int64_t> exec(std::string_view sql, const SqlArgs& args) override;
  Result<std::vector<SqlRow>> query(std::string_view sql, const SqlArgs& args) override;
  Status each(std::string_view sql, const SqlArgs& args,
              const std::function<Status(const SqlRow&)>& fn) override;

 private:
  Result<Stmt*> prepared(std::string_view sql, const SqlArgs& args);
  Db& db_;
  std::map<std::string, Stmt, std::less<>> cache_;
};

// A stored record with the site whose feed holds it and when it arrived.
struct StoredRecord {
  sync::Record record;
  std::string site;
  std::int64_t received_ms = 0;
};

// What the read model gets inside one backend transaction: the seam, and
// the stored records in server order (for `reproject`).
class ModelTx {
 public:
  virtual ~ModelTx() = default;
  virtual Sql& sql() = 0;
  // Up to `limit` stored records with a server id above `after`, in id
  // order, appended to `out`; returns the last id read (`after` if none).
  virtual Result<std::int64_t> records_after(std::int64_t after, std::size_t limit,
                                             std::vector<StoredRecord>* out) = 0;
};

}  // namespace chz::server
