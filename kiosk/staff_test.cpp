#include "kiosk/staff.h"

#include <doctest/doctest.h>

#include "kiosk/audit.h"
#include "kiosk/domain_fixture.h"
#include "kiosk/record_sink.h"

using namespace chz;
using namespace chz::kiosk;
using namespace chz::kiosk::testing;

namespace {
struct Staffed : DomainFixture {
  StaffAdded t;
  Staffed() {
    t = must(add_staff(db(), clock, admin, {"陈晓明", Role::kTrainer, "龙港镇"}, fast_pins));
  }
  Result<Actor> in(std::string_view pin) { return sign_in(db(), clock, t.id, pin, fast_pins); }
  std::size_t audited(std::string_view action) {
    return must(recent_audit(db(), 100, action)).size();
  }
};
}  // namespace

TEST_CASE("staff: the first PIN is set with the one-time code, then sign-in works and is audited") {
  Staffed f;
  CHECK(f.t.setup_code.size() == 8);
  CHECK(f.in("284715").status().key() == "pin.not_set");
  REQUIRE(set_pin(f.db(), f.clock, f.t.id, f.t.setup_code, "284715", f.fast_pins).ok());
  auto a = f.in("284715");
  REQUIRE(a.ok());
  CHECK(a->role == Role::kTrainer);
  CHECK(a->id == f.t.id);
  CHECK(f.audited("staff.sign_in") == 1);
  CHECK(f.audited("staff.pin_set") == 1);
}

TEST_CASE("staff: the one-time code is spent once used") {
  Staffed f;
  REQUIRE(set_pin(f.db(), f.clock, f.t.id, f.t.setup_code, "284715", f.fast_pins).ok());
  CHECK(set_pin(f.db(), f.clock, f.t.id, f.t.setup_code, "395826", f.fast_pins).key() ==
        "staff.no_code");
}

TEST_CASE("staff: a wrong setup code is refused and counted") {
  Staffed f;
  CHECK(set_pin(f.db(), f.clock, f.t.id, "00000000", "284715", f.fast_pins).key() ==
        "staff.code_wrong");
  CHECK(f.audited("staff.sign_in_failed") == 1);
}

TEST_CASE("staff: weak or malformed PINs are refused") {
  CHECK(check_pin_format("12345").key() == "pin.format");
  CHECK(check_pin_format("12345a").key() == "pin.format");
  CHECK(check_pin_format("111111").key() == "pin.weak");
  CHECK(check_pin_format("123456").key() == "pin.weak");
  CHECK(check_pin_format("987654").key() == "pin.weak");
  CHECK(check_pin_format("284715").ok());
}

TEST_CASE("staff: five wrong PINs lock the account for 15 minutes, then it unlocks") {
  Staffed f;
  REQUIRE(set_pin(f.db(), f.clock, f.t.id, f.t.setup_code, "284715", f.fast_pins).ok());
  for (int i = 0; i < 4; ++i) CHECK(f.in("000001").status().key() == "staff.pin_wrong");
  auto fifth = f.in("000001");
  CHECK(fifth.status().code() == Code::kLocked);
  CHECK(fifth.status().key() == "staff.locked");
  CHECK(f.audited("staff.lockout") == 1);
  CHECK(f.in("284715").status().key() == "staff.locked");  // the right PIN does not help now
  f.clock.advance(14 * kMinute);
  CHECK(f.in("284715").status().key() == "staff.locked");
  f.clock.advance(1 * kMinute + 1);
  CHECK(f.in("284715").ok());
  CHECK(f.audited("staff.sign_in_refused") == 2);
}

TEST_CASE("staff: a success resets the failure count") {
  Staffed f;
  REQUIRE(set_pin(f.db(), f.clock, f.t.id, f.t.setup_code, "284715", f.fast_pins).ok());
  for (int i = 0; i < 4; ++i) CHECK_FALSE(f.in("000001").ok());
  REQUIRE(f.in("284715").ok());
  for (int i = 0; i < 4; ++i) CHECK(f.in("000001").status().key() == "staff.pin_wrong");
}

TEST_CASE("staff: only a site admin adds staff; unknown and inactive staff cannot sign in") {
  Staffed f;
  CHECK(add_staff(f.db(), f.clock, f.trainer, {"某人", Role::kTrainer, "龙港镇"}, f.fast_pins)
            .status()
            .key() == "role.denied");
  CHECK(sign_in(f.db(), f.clock, "staff-none", "284715", f.fast_pins).status().key() ==
        "staff.unknown");
  REQUIRE(set_pin(f.db(), f.clock, f.t.id, f.t.setup_code, "284715", f.fast_pins).ok());
  REQUIRE(f.db().run("UPDATE staff SET active = 0 WHERE id = ?", f.t.id).ok());
  CHECK(f.in("284715").status().key() == "staff.inactive");
  CHECK(require_role(f.db(), Actor{Role::kTrainer, f.t.id}, {Role::kTrainer}).key() ==
        "role.denied");
}

TEST_CASE("staff: PINs are stored as salted PBKDF2 hashes with the production iteration count") {
  Staffed f;
  REQUIRE(set_pin(f.db(), f.clock, f.t.id, f.t.setup_code, "284715").ok());  // default policy
  auto stored = *f.db().query_text("SELECT pin FROM staff WHERE id = ?", f.t.id);
  CHECK(stored.rfind("pbkdf2-sha256$600000$", 0) == 0);
  CHECK(stored.find("284715") == std::string::npos);
  CHECK(sign_in(f.db(), f.clock, f.t.id, "284715").ok());
  // Two staff with the same PIN get different hashes (salted).
  CHECK(sync::kinds::hash_staff_secret("284715", 1000) !=
        sync::kinds::hash_staff_secret("284715", 1000));
}

TEST_CASE("staff: the list shows names and roles") {
  Staffed f;
  REQUIRE(set_pin(f.db(), f.clock, f.t.id, f.t.setup_code, "284715", f.fast_pins).ok());
  // By role ("site_admin" < "trainer"), then name in code point order (王 < 陈).
  std::vector<std::string> got;
  for (const StaffMember& m : must(list_staff(f.db())))
    got.push_back(m.name + " " + std::string(role_name(m.role)) + " " + m.site +
                  (m.has_pin ? " PIN" : "") + (m.active ? "" : " inactive"));
  CHECK(got == std::vector<std::string>{"赵建国 site_admin 龙港镇", "王丽娟 trainer 龙港镇",
                                        "陈晓明 trainer 龙港镇 PIN"});
  CHECK(must(list_staff(f.db()))[2].id == f.t.id);
}

TEST_CASE(
    "staff: a trainer created by the county arrives through sync; a county reset allows a new "
    "PIN") {
  DomainFixture f;
  KioskRecordSink sink(f.db(), f.clock);
  auto county = [&f](std::int64_t seq, const nlohmann::json& body) {
    sync::Record r;
    std::int64_t at = f.clock.now_ms() + 1'000 * seq;  // the county's stamps follow real time
    r.meta = {"county-staff-" + std::to_string(seq), "county", seq, {at, 0}, at, 0};
    r.kind = "staff";
    r.body = body.dump();
    return r;
  };
  std::string e = "staff:county-t-7";
  REQUIRE(
      sink.apply({county(1, {{"entity", e},
                             {"name", "韩冬梅"},
                             {"role", "trainer"},
                             {"site", "site-01"},
                             {"active", 1},
                             {"setup_code", sync::kinds::hash_staff_secret("11223344", 1000)}})},
                 "1")
          .ok());
  REQUIRE(set_pin(f.db(), f.clock, "county-t-7", "11223344", "284715", f.fast_pins).ok());
  CHECK(sign_in(f.db(), f.clock, "county-t-7", "284715", f.fast_pins).ok());
  // Forgotten PIN: the county issues a new code (a later record).
  REQUIRE(
      sink.apply({county(2, {{"entity", e},
                             {"setup_code", sync::kinds::hash_staff_secret("55667788", 1000)}})},
                 "2")
          .ok());
  REQUIRE(set_pin(f.db(), f.clock, "county-t-7", "55667788", "390417", f.fast_pins).ok());
  CHECK(sign_in(f.db(), f.clock, "county-t-7", "284715", f.fast_pins).status().key() ==
        "staff.pin_wrong");
  CHECK(sign_in(f.db(), f.clock, "county-t-7", "390417", f.fast_pins).ok());
}
