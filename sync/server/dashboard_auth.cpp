#include "sync/server/dashboard_auth.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "common/crypto.h"
#include "common/utf8.h"

namespace chz::server::dash {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 4> kRoles = {{
    {Role::kViewer, "viewer"},
    {Role::kAdmin, "admin"},
    {Role::kSecurity, "security"},
    {Role::kAudit, "audit"},
}};

const char* const kTables[] = {
    "CREATE TABLE IF NOT EXISTS dash_users(name TEXT PRIMARY KEY, role TEXT NOT NULL, "
    "salt TEXT NOT NULL, hash TEXT NOT NULL, iterations BIGINT NOT NULL, "
    "failures BIGINT NOT NULL DEFAULT 0, locked_until_ms BIGINT NOT NULL DEFAULT 0, "
    "disabled BIGINT NOT NULL DEFAULT 0, created_ms BIGINT NOT NULL, changed_ms BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS dash_sessions(token_hash TEXT PRIMARY KEY, name TEXT NOT NULL, "
    "role TEXT NOT NULL, csrf TEXT NOT NULL, created_ms BIGINT NOT NULL, seen_ms BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS dash_audit(seq BIGINT PRIMARY KEY, at_ms BIGINT NOT NULL, "
    "who TEXT NOT NULL, role TEXT NOT NULL, what TEXT NOT NULL, detail TEXT NOT NULL, "
    "peer TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL)",
};

// Code points of valid UTF-8 `s`.
std::size_t chars(std::string_view s) {
  std::size_t n = 0;
  while (!s.empty()) {
    std::size_t k = std::max<std::size_t>(1, utf8_sequence_length(s));
    s.remove_prefix(std::min(k, s.size()));
    ++n;
  }
  return n;
}

Role role_or_viewer(std::string_view s) {
  auto r = parse_role(s);
  return r.ok() ? *r : Role::kViewer;
}

std::string token_hash(std::string_view token) {
  return hex(sha256(token));
}

std::string random_text(std::size_t bytes) {
  Bytes b(bytes);
  random_bytes(b);
  return base64url(b);
}

// Length-prefixed fields, so no two different entries hash the same.
std::string audit_hash(const AuditEntry& e) {
  std::string in;
  for (const std::string& f : {e.prev, std::to_string(e.seq), std::to_string(e.at_ms), e.who,
                               e.role, e.what, e.detail, e.peer})
    in += fmt::format("{}:{};", f.size(), f);
  return hex(sha256(in));
}

User user_from(const SqlRow& r) {
  User u;
  u.name = r.text(0);
  u.role = role_or_viewer(r.text(1));
  u.password = {r.text(2), r.text(3), static_cast<int>(r.i64(4))};
  u.failures = static_cast<int>(r.i64(5));
  u.locked_until_ms = r.i64(6);
  u.disabled = r.i64(7) != 0;
  u.created_ms = r.i64(8);
  u.changed_ms = r.i64(9);
  return u;
}
constexpr std::string_view kUserColumns =
    "name, role, salt, hash, iterations, failures, locked_until_ms, disabled, created_ms, "
    "changed_ms";

Status must_change(Result<std::int64_t> changed, const std::string& name) {
  CHZ_ASSIGN_OR_RETURN(std::int64_t n, std::move(changed));
  if (n == 0) return Status(Code::kNotFound, "no user " + name, "user.unknown");
  return OkStatus();
}

}  // namespace

Result<Role> parse_role(std::string_view s) {
  for (const auto& [r, n] : kRoles)
    if (n == s) return r;
  return Status(Code::kInvalidArgument, "role is viewer, admin, security or audit", "user.role");
}
std::string_view role_name(Role r) {
  for (const auto& [x, n] : kRoles)
    if (x == r) return n;
  return "viewer";
}
std::vector<std::string> role_names(Roles set) {
  std::vector<std::string> out;
  for (const auto& [r, n] : kRoles)
    if (has(set, r)) out.emplace_back(n);
  return out;
}

Status check_password_policy(std::string_view name, std::string_view password) {
  if (!is_valid_utf8(password))
    return Status(Code::kInvalidArgument, "password is not valid UTF-8", "user.weak_password");
  if (chars(password) < kMinPasswordChars)
    return Status(Code::kInvalidArgument,
                  fmt::format("password needs at least {} characters", kMinPasswordChars),
                  "user.weak_password");
  bool lower = false, upper = false, digit = false, other = false;
  for (unsigned char c : password) {
    if (c >= 'a' && c <= 'z')
      lower = true;
    else if (c >= 'A' && c <= 'Z')
      upper = true;
    else if (c >= '0' && c <= '9')
      digit = true;
    else
      other = true;
  }
  if (int(lower) + int(upper) + int(digit) + int(other) < 3)
    return Status(Code::kInvalidArgument,
                  "password needs three of: lower case, upper case, digits, other characters",
                  "user.weak_password");
  std::string lp(password), ln(name);
  auto low = [](std::string& s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  };
  low(lp);
  low(ln);
  if (!ln.empty() && lp.find(ln) != std::string::npos)
    return Status(Code::kInvalidArgument, "password must not contain the user name",
                  "user.weak_password");
  return OkStatus();
}

PasswordHash hash_password(std::string_view password, int iterations) {
  Bytes salt(16);
  random_bytes(salt);
  Key32 h = pbkdf2_sha256(password, salt, iterations);
  return {hex(salt), hex(h), iterations};
}

bool verify_password(std::string_view password, const PasswordHash& h) {
  auto salt = unhex(h.salt_hex);
  auto want = unhex(h.hash_hex);
  if (!salt.ok() || !want.ok() || h.iterations < 1 || want->size() != 32) return false;
  Key32 got = pbkdf2_sha256(password, *salt, h.iterations);
  return equal_ct(got, *want);
}

Status create_tables(Sql& sql) {
  for (const char* t : kTables) CHZ_TRY(sql.exec(t).status());
  return OkStatus();
}

Status check_user_name(std::string_view name) {
  if (name.empty() || !is_valid_utf8(name) || chars(name) > 32 || name.front() == ' ' ||
      name.back() == ' ' ||
      std::any_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    return Status(
        Code::kInvalidArgument,
        "a user name has 1 to 32 characters, no control characters, no spaces at the ends",
        "user.name");
  return OkStatus();
}

Status add_user(Sql& sql, const std::string& name, Role role, const PasswordHash& h,
                std::int64_t now_ms) {
  CHZ_TRY(check_user_name(name));
  CHZ_ASSIGN_OR_RETURN(std::int64_t n,
                       sql.scalar("SELECT count(*) FROM dash_users WHERE name = ?", {name}));
  if (n > 0) return Status(Code::kAlreadyExists, "user " + name + " exists", "user.exists");
  return sql
      .exec(
          "INSERT INTO dash_users(name, role, salt, hash, iterations, created_ms, changed_ms) "
          "VALUES(?, ?, ?, ?, ?, ?, ?)",
          {name, std::string(role_name(role)), h.salt_hex, h.hash_hex, std::int64_t{h.iterations},
           now_ms, now_ms})
      .status();
}

Result<User> user(Sql& sql, const std::string& name) {
  CHZ_ASSIGN_OR_RETURN(
      auto rows,
      sql.query(fmt::format("SELECT {} FROM dash_users WHERE name = ?", kUserColumns), {name}));
  if (rows.empty()) return Status(Code::kNotFound, "no user " + name, "user.unknown");
  return user_from(rows[0]);
}

Result<std::vector<User>> users(Sql& sql) {
  CHZ_ASSIGN_OR_RETURN(
      auto rows, sql.query(fmt::format("SELECT {} FROM dash_users ORDER BY name", kUserColumns)));
  std::vector<User> out;
  for (const auto& r : rows) out.push_back(user_from(r));
  return out;
}

Status set_password(Sql& sql, const std::string& name, const PasswordHash& h, std::int64_t now_ms) {
  CHZ_TRY(must_change(sql.exec("UPDATE dash_users SET salt = ?, hash = ?, iterations = ?, "
                               "failures = 0, locked_until_ms = 0, changed_ms = ? WHERE name = ?",
                               {h.salt_hex, h.hash_hex, std::int64_t{h.iterations}, now_ms, name}),
                      name));
  return sql.exec("DELETE FROM dash_sessions WHERE name = ?", {name}).status();
}

Status unlock_user(Sql& sql, const std::string& name, std::int64_t now_ms) {
  return must_change(sql.exec("UPDATE dash_users SET failures = 0, locked_until_ms = 0, "
                              "changed_ms = ? WHERE name = ?",
                              {now_ms, name}),
                     name);
}

Result<std::int64_t> record_failure(Sql& sql, const std::string& name, std::int64_t now_ms) {
  CHZ_ASSIGN_OR_RETURN(User u, user(sql, name));
  int failures = u.failures + 1;
  std::int64_t until = 0;
  if (failures >= kFailuresBeforeLock) {
    int doublings = std::min(failures - kFailuresBeforeLock, 20);
    until = now_ms + std::min(kFirstLockMs << doublings, kLongestLockMs);
  }
  CHZ_TRY(sql.exec("UPDATE dash_users SET failures = ?, locked_until_ms = ? WHERE name = ?",
                   {std::int64_t{failures}, until, name})
              .status());
  return until;
}

Status record_success(Sql& sql, const std::string& name) {
  return sql
      .exec(
          "UPDATE dash_users SET failures = 0, locked_until_ms = 0 WHERE name = ? AND "
          "(failures <> 0 OR locked_until_ms <> 0)",
          {name})
      .status();
}

Result<Opened> open_session(Sql& sql, const std::string& name, Role role, std::int64_t now_ms) {
  Opened o;
  o.token = random_text(32);
  o.session = {name, role, random_text(24), now_ms, now_ms};
  // Sessions long over are swept here, so the table stays small.
  CHZ_TRY(sql.exec("DELETE FROM dash_sessions WHERE created_ms < ?", {now_ms - kSessionLongestMs})
              .status());
  CHZ_TRY(sql.exec("INSERT INTO dash_sessions(token_hash, name, role, csrf, created_ms, seen_ms) "
                   "VALUES(?, ?, ?, ?, ?, ?)",
                   {token_hash(o.token), name, std::string(role_name(role)), o.session.csrf, now_ms,
                    now_ms})
              .status());
  return o;
}

Result<Session> session(Sql& sql, std::string_view token, std::int64_t now_ms,
                        std::int64_t idle_ms) {
  Status none(Code::kUnauthenticated, "not signed in, or the session has ended", "auth.session");
  if (token.empty() || token.size() > 128) return none;
  std::string th = token_hash(token);
  CHZ_ASSIGN_OR_RETURN(auto rows,
                       sql.query("SELECT s.name, s.role, s.csrf, s.created_ms, s.seen_ms, u.role, "
                                 "u.disabled FROM dash_sessions s LEFT JOIN dash_users u ON "
                                 "u.name = s.name WHERE s.token_hash = ?",
                                 {th}));
  if (rows.empty()) return none;
  const SqlRow& r = rows[0];
  Session s{r.text(0), role_or_viewer(r.text(1)), r.text(2), r.i64(3), r.i64(4)};
  bool open = !r.null(5) && r.text(5) == r.text(1) && r.i64(6) == 0 &&
              now_ms - s.seen_ms <= idle_ms && now_ms - s.created_ms <= kSessionLongestMs;
  if (!open) {
    CHZ_TRY(sql.exec("DELETE FROM dash_sessions WHERE token_hash = ?", {th}).status());
    return none;
  }
  // One write a second at most per session, not one per request.
  if (now_ms - s.seen_ms >= 1000) {
    CHZ_TRY(sql.exec("UPDATE dash_sessions SET seen_ms = ? WHERE token_hash = ?", {now_ms, th})
                .status());
    s.seen_ms = now_ms;
  }
  return s;
}

Status close_session(Sql& sql, std::string_view token) {
  return sql.exec("DELETE FROM dash_sessions WHERE token_hash = ?", {token_hash(token)}).status();
}

Status audit(Sql& sql, const std::string& who, std::string_view role, std::string_view what,
             const std::string& detail, const std::string& peer, std::int64_t now_ms) {
  CHZ_ASSIGN_OR_RETURN(auto last,
                       sql.query("SELECT seq, hash FROM dash_audit ORDER BY seq DESC LIMIT 1"));
  AuditEntry e;
  e.seq = last.empty() ? 1 : last[0].i64(0) + 1;
  e.prev = last.empty() ? std::string(64, '0') : last[0].text(1);
  e.at_ms = now_ms;
  e.who = who;
  e.role = std::string(role);
  e.what = std::string(what);
  e.detail = detail;
  e.peer = peer;
  e.hash = audit_hash(e);
  return sql
      .exec(
          "INSERT INTO dash_audit(seq, at_ms, who, role, what, detail, peer, prev, hash) "
          "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {e.seq, e.at_ms, e.who, e.role, e.what, e.detail, e.peer, e.prev, e.hash})
      .status();
}

Result<std::vector<AuditEntry>> audit_after(Sql& sql, std::int64_t after, int limit) {
  CHZ_ASSIGN_OR_RETURN(auto rows,
                       sql.query("SELECT seq, at_ms, who, role, what, detail, peer, prev, hash "
                                 "FROM dash_audit WHERE seq > ? ORDER BY seq LIMIT ?",
                                 {after, std::int64_t{limit}}));
  std::vector<AuditEntry> out;
  for (const auto& r : rows)
    out.push_back({r.i64(0), r.i64(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6),
                   r.text(7), r.text(8)});
  return out;
}

Result<std::vector<std::string>> verify_audit(Sql& sql) {
  std::vector<std::string> problems;
  std::string prev(64, '0');
  std::int64_t want_seq = 1;
  CHZ_TRY(sql.each(
      "SELECT seq, at_ms, who, role, what, detail, peer, prev, hash FROM dash_audit "
      "ORDER BY seq",
      {}, [&](const SqlRow& r) -> Status {
        AuditEntry e{r.i64(0),  r.i64(1),  r.text(2), r.text(3), r.text(4),
                     r.text(5), r.text(6), r.text(7), r.text(8)};
        if (e.seq != want_seq)
          problems.push_back(
              fmt::format("entry {}: expected entry {} (one is missing)", e.seq, want_seq));
        if (e.prev != prev)
          problems.push_back(fmt::format("entry {}: does not follow the entry before it", e.seq));
        if (audit_hash(e) != e.hash)
          problems.push_back(fmt::format("entry {}: altered (hash differs)", e.seq));
        prev = e.hash;
        want_seq = e.seq + 1;
        return OkStatus();
      }));
  return problems;
}

}  // namespace chz::server::dash
