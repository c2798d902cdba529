#include "kiosk/audit.h"

#include <doctest/doctest.h>

#include "kiosk/domain_testing.h"

using namespace chz;
using namespace chz::kiosk;
using chz::kiosk::testing::TempStore;

namespace {
void write_entries(TempStore& t, int n) {
  for (int i = 0; i < n; ++i)
    REQUIRE(
        t.db()
            .transaction([&] {
              return append_audit(t.db(), t.clock, "staff:t1", "attendance.check_in", {{"n", i}});
            })
            .ok());
}
}  // namespace

TEST_CASE("audit: an untouched chain verifies") {
  TempStore t;
  CHECK(verify_audit_chain(t.db()).ok());
  write_entries(t, 5);
  CHECK(verify_audit_chain(t.db()).ok());
  auto r = recent_audit(t.db(), 2);
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK((*r)[0].id == 5);
}

TEST_CASE("audit: UPDATE and DELETE are refused by the store") {
  TempStore t;
  write_entries(t, 2);
  CHECK_FALSE(t.db().exec("UPDATE audit SET actor = 'x' WHERE id = 1").ok());
  CHECK_FALSE(t.db().exec("DELETE FROM audit WHERE id = 1").ok());
}

TEST_CASE("audit: a row edited with raw SQL is named as the first broken entry") {
  TempStore t;
  write_entries(t, 5);
  REQUIRE(t.db().exec("DROP TRIGGER audit_no_update").ok());
  REQUIRE(t.db().exec("UPDATE audit SET detail = '{\"n\":99}' WHERE id = 3").ok());
  auto st = verify_audit_chain(t.db());
  CHECK(st.code() == Code::kTampered);
  CHECK(st.message().find("audit entry 3") != std::string::npos);
  CHECK_FALSE(t.store.check().ok());
}

TEST_CASE("audit: a re-hashed edited row still breaks the next link") {
  TempStore t;
  write_entries(t, 4);
  REQUIRE(t.db().exec("DROP TRIGGER audit_no_update").ok());
  REQUIRE(t.db().exec("UPDATE audit SET hash = '" + std::string(64, 'a') + "' WHERE id = 2").ok());
  auto st = verify_audit_chain(t.db());
  CHECK(st.message().find("audit entry 2") != std::string::npos);
}

TEST_CASE("audit: a deleted middle row is detected") {
  TempStore t;
  write_entries(t, 4);
  REQUIRE(t.db().exec("DROP TRIGGER audit_no_delete").ok());
  REQUIRE(t.db().exec("DELETE FROM audit WHERE id = 2").ok());
  auto st = verify_audit_chain(t.db());
  CHECK(st.code() == Code::kTampered);
  CHECK(st.message().find("audit entry 2 is missing") != std::string::npos);
}
