// Users, passwords, sessions and the audit chain on a real (encrypted)
// embedded store.
#include "sync/server/dashboard_auth.h"

#include <doctest/doctest.h>

#include "common/testing/temp_dir.h"
#include "sync/server/store.h"

namespace chz::server::dash {
namespace {
struct Fixture {
  Fixture() {
    auto s = open_sqlite_store((dir / "county").string());
    REQUIRE(s.ok());
    store = std::move(*s);
    REQUIRE(run([](Sql& sql) { return create_tables(sql); }).ok());
  }
  Status run(const std::function<Status(Sql&)>& fn) {
    return store->model([&](ModelTx& tx) { return fn(tx.sql()); });
  }
  testing::TempDir dir{"chz-dash-auth"};
  std::unique_ptr<ServerStore> store;
};
}  // namespace

TEST_CASE("password policy: length, three kinds of character, not the user name") {
  CHECK(check_password_policy("wang", "Huangtu-2026").ok());
  CHECK(check_password_policy("wang", "黄土高坡Abc-12").ok());
  CHECK(check_password_policy("wang", "Short-1").key() == "user.weak_password");
  CHECK(check_password_policy("wang", "alllowercaseletters").key() == "user.weak_password");
  CHECK(check_password_policy("wang", "lowercase123456").key() == "user.weak_password");
  CHECK(check_password_policy("wang", "xxWANG-2026xx").key() == "user.weak_password");
  CHECK_FALSE(check_password_policy("wang", std::string("Abc-1234567\xff")).ok());
}

TEST_CASE("password hash: the right password verifies, a wrong or altered hash does not") {
  PasswordHash h = hash_password("Huangtu-2026", 1000);
  CHECK(h.iterations == 1000);
  CHECK(h.salt_hex.size() == 32);
  CHECK(verify_password("Huangtu-2026", h));
  CHECK_FALSE(verify_password("Huangtu-2027", h));
  PasswordHash other = hash_password("Huangtu-2026", 1000);
  CHECK(other.hash_hex != h.hash_hex);  // a fresh salt each time
  PasswordHash bad = h;
  bad.hash_hex[0] = bad.hash_hex[0] == 'a' ? 'b' : 'a';
  CHECK_FALSE(verify_password("Huangtu-2026", bad));
  bad = h;
  bad.salt_hex = "zz";
  CHECK_FALSE(verify_password("Huangtu-2026", bad));
}

TEST_CASE("users: names are checked, a second add of a name is refused, roles parse both ways") {
  Fixture f;
  PasswordHash h = hash_password("Huangtu-2026", 1000);
  CHECK(f.run([&](Sql& sql) { return add_user(sql, "赵晓䶮", Role::kAdmin, h, 1); }).ok());
  Status again = f.run([&](Sql& sql) { return add_user(sql, "赵晓䶮", Role::kViewer, h, 2); });
  CHECK(again.key() == "user.exists");
  CHECK(check_user_name("").key() == "user.name");
  CHECK(check_user_name(" padded").key() == "user.name");
  CHECK(check_user_name("tab\there").key() == "user.name");
  CHECK(*parse_role("audit") == Role::kAudit);
  CHECK(parse_role("root").status().key() == "user.role");
  CHECK(role_names(Role::kViewer | Role::kAudit) == std::vector<std::string>{"viewer", "audit"});
}

TEST_CASE("lock-out: from the fifth failure in a row, one minute doubling to at most an hour") {
  Fixture f;
  PasswordHash h = hash_password("Huangtu-2026", 1000);
  REQUIRE(f.run([&](Sql& sql) { return add_user(sql, "li", Role::kViewer, h, 0); }).ok());
  std::vector<std::int64_t> locks;
  for (int i = 0; i < 14; ++i)
    REQUIRE(f.run([&](Sql& sql) -> Status {
               CHZ_ASSIGN_OR_RETURN(std::int64_t u, record_failure(sql, "li", 1000));
               locks.push_back(u == 0 ? 0 : u - 1000);
               return OkStatus();
             }).ok());
  CHECK(locks[3] == 0);
  CHECK(locks[4] == 60'000);
  CHECK(locks[5] == 120'000);
  CHECK(locks[6] == 240'000);
  CHECK(locks[13] == kLongestLockMs);
  REQUIRE(f.run([](Sql& sql) { return unlock_user(sql, "li", 2000); }).ok());
  User u;
  REQUIRE(f.run([&](Sql& sql) -> Status {
             CHZ_ASSIGN_OR_RETURN(u, user(sql, "li"));
             return OkStatus();
           }).ok());
  CHECK(u.failures == 0);
  CHECK(u.locked_until_ms == 0);
  CHECK(f.run([](Sql& sql) { return unlock_user(sql, "nobody", 1); }).key() == "user.unknown");
}

TEST_CASE("sessions: idle and absolute ends, a new password or a changed role ends them") {
  Fixture f;
  PasswordHash h = hash_password("Huangtu-2026", 1000);
  REQUIRE(f.run([&](Sql& sql) { return add_user(sql, "li", Role::kAdmin, h, 0); }).ok());
  Opened o;
  REQUIRE(f.run([&](Sql& sql) -> Status {
             CHZ_ASSIGN_OR_RETURN(o, open_session(sql, "li", Role::kAdmin, 0));
             return OkStatus();
           }).ok());
  auto at = [&](std::int64_t now, std::int64_t idle = kSessionIdleMs) {
    Result<Session> s = Status(Code::kInternal, "");
    REQUIRE(f.run([&](Sql& sql) {
               s = session(sql, o.token, now, idle);
               return OkStatus();
             }).ok());
    return s;
  };
  CHECK(at(60'000).ok());
  CHECK(at(60'000 + kSessionIdleMs - 1).ok());  // seen at 60 s: still within
  CHECK(at(60'000 + kSessionIdleMs).ok());
  CHECK(at(kSessionLongestMs + 1).status().key() == "auth.session");  // over 12 h: gone
  CHECK(at(1).status().key() == "auth.session");                      // and forgotten
  REQUIRE(f.run([&](Sql& sql) -> Status {
             CHZ_ASSIGN_OR_RETURN(o, open_session(sql, "li", Role::kAdmin, 0));
             return OkStatus();
           }).ok());
  CHECK(at(10).ok());
  REQUIRE(f.run([](Sql& sql) {
             return sql.exec("UPDATE dash_users SET role = 'viewer' WHERE name = 'li'").status();
           }).ok());
  CHECK_FALSE(at(20).ok());  // a session keeps the role it was opened with, or ends
  CHECK(at(kSessionIdleMs + 100, 10).status().key() == "auth.session");
  CHECK(at(0).status().key() == "auth.session");
}

TEST_CASE("audit chain: intact when untouched; an edit, a deletion and a reorder are each named") {
  Fixture f;
  for (int i = 0; i < 5; ++i)
    REQUIRE(f.run([&](Sql& sql) {
               return audit(sql, "li", "admin", "cert_confirm", "S1-" + std::to_string(i),
                            "127.0.0.1", 1000 + i);
             }).ok());
  auto verify = [&] {
    std::vector<std::string> p;
    REQUIRE(f.run([&](Sql& sql) -> Status {
               CHZ_ASSIGN_OR_RETURN(p, verify_audit(sql));
               return OkStatus();
             }).ok());
    return p;
  };
  CHECK(verify().empty());
  REQUIRE(f.run([](Sql& sql) {
             return sql.exec("UPDATE dash_audit SET detail = 'S1-9' WHERE seq = 3").status();
           }).ok());
  auto p = verify();
  REQUIRE(p.size() >= 1);
  CHECK(p[0] == "entry 3: altered (hash differs)");
  REQUIRE(f.run([](Sql& sql) {
             return sql.exec("UPDATE dash_audit SET detail = 'S1-2' WHERE seq = 3").status();
           }).ok());
  CHECK(verify().empty());
  REQUIRE(f.run([](Sql& sql) {
             return sql.exec("DELETE FROM dash_audit WHERE seq = 4").status();
           }).ok());
  p = verify();
  REQUIRE(p.size() >= 1);
  CHECK(p[0] == "entry 5: expected entry 4 (one is missing)");
}

}  // namespace chz::server::dash
