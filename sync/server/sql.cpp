#include "sync/server/sql.h"

#include <cstdlib>

namespace chz::server {

std::int64_t SqlRow::i64(std::size_t i) const {
  const SqlValue& x = v.at(i);
  if (auto p = std::get_if<std::int64_t>(&x)) return *p;
  if (auto s = std::get_if<std::string>(&x)) return std::strtoll(s->c_str(), nullptr, 10);
  return 0;
}

std::string SqlRow::text(std::size_t i) const {
  const SqlValue& x = v.at(i);
  if (auto p = std::get_if<std::int64_t>(&x)) return std::to_string(*p);
  if (auto s = std::get_if<std::string>(&x)) return *s;
  return {};
}

std::string SqlRow::joined(std::string_view sep, std::string_view null_mark) const {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += null(i) ? std::string(null_mark) : text(i);
  }
  return out;
}

Result<std::int64_t> Sql::scalar(std::string_view sql, const SqlArgs& args) {
  CHZ_ASSIGN_OR_RETURN(auto rows, query(sql, args));
  if (rows.empty() || rows[0].v.empty() || rows[0].null(0))
    return Status(Code::kNotFound, "no row");
  return rows[0].i64(0);
}

Result<std::string> Sql::text(std::string_view sql, const SqlArgs& args) {
  CHZ_ASSIGN_OR_RETURN(auto rows, query(sql, args));
  if (rows.empty() || rows[0].v.empty() || rows[0].null(0))
    return Status(Code::kNotFound, "no row");
  return rows[0].text(0);
}

std::string postgres_sql(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 32);
  constexpr std::string_view kIgnore = "INSERT OR IGNORE INTO";
  bool ignore = false;
  std::size_t start = sql.find_first_not_of(" \n\t");
  if (start != std::string_view::npos && sql.substr(start, kIgnore.size()) == kIgnore) {
    ignore = true;
    sql.remove_prefix(start + kIgnore.size());
    out = "INSERT INTO";
  }
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out.push_back(c);
    } else if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
    } else if (c == '?') {
      out += "$" + std::to_string(++n);
    } else {
      out.push_back(c);
    }
  }
  if (ignore) out += " ON CONFLICT DO NOTHING";
  return out;
}

Result<Stmt*> SqliteSql::prepared(std::string_view sql, const SqlArgs& args) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    CHZ_ASSIGN_OR_RETURN(Stmt s, db_.prepare(sql));
    it = cache_.emplace(std::string(sql), std::move(s)).first;
  }
  Stmt* st = &it->second;
  // A statement whose last step failed reports that failure again on reset.
  static_cast<void>(st->reset());
  for (std::size_t i = 0; i < args.size(); ++i) {
    int k = static_cast<int>(i + 1);
    std::visit([&](const auto& a) { st->bind(k, a); }, args[i]);
  }
  return st;
}

Result<std::int64_t> SqliteSql::exec(std::string_view sql, const SqlArgs& args) {
  CHZ_ASSIGN_OR_RETURN(Stmt * st, prepared(sql, args));
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) break;
  }
  std::int64_t n = db_.changes();
  CHZ_TRY(st->reset());
  return n;
}

Status SqliteSql::each(std::string_view sql, const SqlArgs& args,
                       const std::function<Status(const SqlRow&)>& fn) {
  CHZ_ASSIGN_OR_RETURN(Stmt * st, prepared(sql, args));
  SqlRow r;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) break;
    int n = st->columns();
    r.v.clear();
    for (int c = 0; c < n; ++c) {
      if (st->is_null(c))
        r.v.emplace_back(nullptr);
      else if (st->is_integer(c))
        r.v.emplace_back(st->int64(c));
      else
        r.v.emplace_back(st->text(c));
    }
    Status s = fn(r);
    if (!s.ok()) {
      static_cast<void>(st->reset());
      return s;
    }
  }
  return st->reset();
}

Result<std::vector<SqlRow>> SqliteSql::query(std::string_view sql, const SqlArgs& args) {
  std::vector<SqlRow> out;
  CHZ_TRY(each(sql, args, [&](const SqlRow& r) {
    out.push_back(r);
    return OkStatus();
  }));
  return out;
}

}  // namespace chz::server
