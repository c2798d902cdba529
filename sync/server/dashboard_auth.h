// The dashboard's people and what they did: users with their roles and
// salted slow password hashes, sign-in sessions, the lock-out after wrong
// passwords, and the server's tamper-evident audit chain (docs/dashboard.md).
// Everything is kept in dash_ tables beside the read model, through the Sql
// seam (sql.h), so both backends hold it the same way; every function runs
// inside the caller's ServerStore::model transaction. Hashing a password is
// slow on purpose and never happens inside a transaction: hash first, then
// store.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sync/server/sql.h"

namespace chz::server::dash {

// Roles, 等保 2.0's separation of duties: the system admin runs the
// programme, the security admin manages users, the audit admin reads the
// audit; a viewer sees statistics only.
enum class Role : unsigned { kViewer = 1, kAdmin = 2, kSecurity = 4, kAudit = 8 };
using Roles = unsigned;  // a set of Role bits
constexpr Roles operator|(Role a, Role b) {
  return static_cast<Roles>(a) | static_cast<Roles>(b);
}
constexpr Roles operator|(Roles a, Role b) {
  return a | static_cast<Roles>(b);
}
constexpr bool has(Roles set, Role r) {
  return (set & static_cast<Roles>(r)) != 0;
}
// "viewer" | "admin" | "security" | "audit"; kInvalidArgument "user.role".
Result<Role> parse_role(std::string_view s);
std::string_view role_name(Role r);
// The role names in `set`, in the order above.
std::vector<std::string> role_names(Roles set);

// ---- passwords ----
inline constexpr int kPasswordIterations = 600'000;
inline constexpr std::size_t kMinPasswordChars = 10;

// OK iff `password` has at least kMinPasswordChars characters, three of
// the four kinds (lower case, upper case, digits, others), and does not
// contain `name`. kInvalidArgument "user.weak_password" saying what is
// missing otherwise.
Status check_password_policy(std::string_view name, std::string_view password);

struct PasswordHash {
  std::string salt_hex, hash_hex;
  int iterations = kPasswordIterations;
};
// PBKDF2-HMAC-SHA256 under a fresh 16-byte random salt (slow: ~0.3 s).
PasswordHash hash_password(std::string_view password, int iterations = kPasswordIterations);
// Constant-time; false for a malformed stored hash.
bool verify_password(std::string_view password, const PasswordHash& h);

// ---- users ----
inline constexpr int kFailuresBeforeLock = 5;
inline constexpr std::int64_t kFirstLockMs = 60'000;       // then doubling...
inline constexpr std::int64_t kLongestLockMs = 3'600'000;  // ...up to an hour

struct User {
  std::string name;
  Role role = Role::kViewer;
  PasswordHash password;
  int failures = 0;  // wrong passwords in a row
  std::int64_t locked_until_ms = 0;
  bool disabled = false;
  std::int64_t created_ms = 0, changed_ms = 0;
};

// Creates the dash_ tables that are missing.
Status create_tables(Sql& sql);

// User names: 1–32 characters, no control characters or spaces at the ends.
// kInvalidArgument "user.name" otherwise.
Status check_user_name(std::string_view name);
// kAlreadyExists "user.exists".
Status add_user(Sql& sql, const std::string& name, Role role, const PasswordHash& h,
                std::int64_t now_ms);
Result<User> user(Sql& sql, const std::string& name);  // kNotFound "user.unknown"
Result<std::vector<User>> users(Sql& sql);
// A new password; also ends the lock and every session of the user.
Status set_password(Sql& sql, const std::string& name, const PasswordHash& h, std::int64_t now_ms);
// Ends the lock (failures back to 0).
Status unlock_user(Sql& sql, const std::string& name, std::int64_t now_ms);
// After a wrong password: counts it and, from the kFailuresBeforeLock-th
// in a row, locks the user for kFirstLockMs doubling per further failure
// (at most kLongestLockMs). Returns locked_until_ms (0 = not locked).
Result<std::int64_t> record_failure(Sql& sql, const std::string& name, std::int64_t now_ms);
Status record_success(Sql& sql, const std::string& name);

// ---- sessions ----
inline constexpr std::int64_t kSessionIdleMs = 30 * 60'000;
inline constexpr std::int64_t kSessionLongestMs = 12 * 3'600'000;

struct Session {
  std::string name;
  Role role = Role::kViewer;
  std::string csrf;  // sent back by the page in X-CSRF-Token
  std::int64_t created_ms = 0, seen_ms = 0;
};
struct Opened {
  std::string token;  // for the cookie; the store keeps only its SHA-256
  Session session;
};
Result<Opened> open_session(Sql& sql, const std::string& name, Role role, std::int64_t now_ms);
// The session of `token` if it is open: seen within `idle_ms`, opened within
// kSessionLongestMs, its user neither disabled nor changed in role; marks it
// seen. kUnauthenticated "auth.session" otherwise (and forgets it).
Result<Session> session(Sql& sql, std::string_view token, std::int64_t now_ms,
                        std::int64_t idle_ms = kSessionIdleMs);
Status close_session(Sql& sql, std::string_view token);

// ---- audit chain ----
struct AuditEntry {
  std::int64_t seq = 0, at_ms = 0;
  std::string who, role, what, detail, peer;
  std::string prev, hash;  // hex SHA-256: hash covers prev and every field
};
// Appends one entry chained to the last. `detail` is what was done to what
// (a user name, a certificate number), never an ID number.
Status audit(Sql& sql, const std::string& who, std::string_view role, std::string_view what,
             const std::string& detail, const std::string& peer, std::int64_t now_ms);
Result<std::vector<AuditEntry>> audit_after(Sql& sql, std::int64_t after, int limit);
// Recomputes the chain; one line per entry that does not match (empty: intact).
Result<std::vector<std::string>> verify_audit(Sql& sql);

}  // namespace chz::server::dash
