// An injected I/O fault (write or sync, or a full disk) at every point of a
// domain write leaves the store exactly as it was: same counts, audit chain
// intact, integrity_check ok; and the same write succeeds afterwards.
#include <doctest/doctest.h>

#include <functional>

#include "common/fault_vfs.h"
#include "kiosk/audit.h"
#include "kiosk/domain_fixture.h"

using namespace chz;
using namespace chz::kiosk;
using namespace chz::kiosk::testing;

namespace {

StoreOpenOptions fault_options() {
  fault_vfs();  // registers the VFS
  StoreOpenOptions o;
  o.vfs = kFaultVfsName;
  return o;
}

std::string counts(Db& db) {
  std::string s;
  for (const char* t : {"outbox", "audit", "people", "person_groups", "enrolments", "attendance",
                        "attendance_corrections", "roster_confirms", "roster_lines",
                        "session_opens", "field_clock", "sessions"})
    s += std::string(t) + "=" +
         std::to_string(*db.query_int(std::string("SELECT count(*) FROM ") + t)) + " ";
  return s;
}

// Runs `op` (which must be repeatable: each successful call may write
// anew) with the n-th write, then the n-th sync, then the n-th write as a
// full disk failing, for growing n, until a call goes through without a
// fault. Every faulted call must fail and leave the counts unchanged.
// Returns how many faults were injected.
int fail_everywhere(DomainFixture& f, const std::function<Status()>& op) {
  FaultPlan& plan = fault_vfs();
  int injected = 0;
  for (int kind = 0; kind < 3; ++kind) {
    for (long n = 1;; ++n) {
      REQUIRE(n < 200);
      std::string before = counts(f.db());
      if (kind == 0) plan.arm(n, 0);
      if (kind == 1) plan.arm(0, n);
      if (kind == 2) plan.arm(n, 0, true);
      Status st = op();
      bool faulted = plan.failures > 0;
      plan.disarm();
      if (!faulted) {
        REQUIRE_MESSAGE(st.ok(), st.to_string());
        break;
      }
      ++injected;
      CHECK_FALSE(st.ok());
      if (kind == 2) CHECK(st.code() == Code::kDiskFull);
      CHECK(counts(f.db()) == before);
      CHECK(f.db().integrity_check().ok());
      CHECK(verify_audit_chain(f.db()).ok());
    }
  }
  return injected;
}

}  // namespace

TEST_CASE("fault: a failed registration leaves no person, no record, no audit entry") {
  DomainFixture f(fault_options());
  int next = 800;
  int injected = fail_everywhere(f, [&] {
    PersonInput in{
        id_number_born({1988, 8, 8}, next), "故障·测试", "龙港镇", "青龙村", "", {"两后生"}};
    Status st = register_person(f.db(), f.clock, f.trainer, in).status();
    if (st.ok()) ++next;
    return st;
  });
  MESSAGE("faults injected into registration: ", injected);
  CHECK(injected >= 3);
  CHECK(*f.db().query_int("SELECT count(*) FROM people") == 3);
  CHECK(f.store.check().ok());
}

TEST_CASE("fault: failed check-ins, closes and corrections leave counts unchanged") {
  DomainFixture f(fault_options());
  std::vector<std::string> people, sessions, ins;
  for (int i = 0; i < 3; ++i)
    people.push_back(f.person("学员" + std::string(i == 0 ? "甲" : i == 1 ? "乙" : "丙"), i + 1));
  for (int i = 0; i < 3; ++i) sessions.push_back(f.session(9, 0, 10, 0));
  f.at(9, 0);
  for (const auto& s : sessions) REQUIRE(open_session(f.db(), f.clock, f.trainer, s).ok());
  std::size_t who = 0;
  CHECK(fail_everywhere(f, [&] {
          auto r = check_in(f.db(), f.clock, Actor::trainee(people[who]), sessions[0], people[who]);
          if (r.ok()) ins.push_back(*r), ++who;
          return r.status();
        }) >= 3);
  CHECK(*f.db().query_int("SELECT count(*) FROM attendance") == 3);
  f.at(9, 50);
  std::size_t which = 0;
  CHECK(fail_everywhere(f, [&] {
          Status st = close_session(f.db(), f.clock, f.trainer, sessions[which],
                                    {MissingCheckout::kCreditToClose, {}})
                          .status();
          if (st.ok()) ++which;
          return st;
        }) >= 3);
  CHECK(*f.db().query_int("SELECT count(*) FROM roster_confirms") == 3);
  CHECK(fail_everywhere(f, [&] {
          f.clock.advance(1000);
          return correct_attendance(f.db(), f.clock, f.trainer, ins[0], f.ms(9, 10),
                                    "补录：实际9:10到")
              .status();
        }) >= 3);
  CHECK(*f.db().query_int("SELECT count(*) FROM attendance_corrections") == 3);
  CHECK(must(credited_minutes(f.db(), must(get_session(f.db(), sessions[0])), people[0])) == 40);
  CHECK(f.store.check().ok());
}
