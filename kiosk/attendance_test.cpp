#include "kiosk/attendance.h"

#include <doctest/doctest.h>

#include "kiosk/audit.h"
#include "kiosk/domain_fixture.h"
#include "kiosk/kiosk_time.h"

using namespace chz;
using namespace chz::kiosk;
using namespace chz::kiosk::testing;

namespace {
// Session 09:00–10:30 theory, opened at 08:55.
struct Morning : DomainFixture {
  std::string s, li;
  Morning() {
    s = session(9, 0, 10, 30);
    li = person("李𠮷祥", 101);
    at(8, 55);
    must(open_session(db(), clock, trainer, s));
  }
  Actor self() const { return Actor::trainee(li); }
  int credited() { return must(credited_minutes(db(), must(get_session(db(), s)), li)); }
  void close(MissingCheckout m = MissingCheckout::kNone) {
    must(close_session(db(), clock, trainer, s, {m, {}}).status());
  }
};
}  // namespace

TEST_CASE("attendance: a full session is credited once the roster is confirmed") {
  Morning f;
  f.at(8, 58);
  CHECK(check_in(f.db(), f.clock, f.self(), f.s, f.li).ok());
  f.at(10, 31);
  CHECK(check_out(f.db(), f.clock, f.self(), f.s, f.li).ok());
  CHECK(f.credited() == 0);  // not yet confirmed
  f.close();
  CHECK(f.credited() == 90);
}

TEST_CASE("attendance: check-in before the session is opened is refused") {
  DomainFixture f;
  auto s = f.session(9, 0, 10, 30);
  auto p = f.person("张三", 1);
  f.at(9, 0);
  auto r = check_in(f.db(), f.clock, Actor::trainee(p), s, p);
  CHECK(r.status().key() == "session.not_open");
}

TEST_CASE("attendance: a duplicate check-in is refused") {
  Morning f;
  f.at(9, 0);
  REQUIRE(check_in(f.db(), f.clock, f.self(), f.s, f.li).ok());
  auto r = check_in(f.db(), f.clock, f.trainer, f.s, f.li);
  CHECK(r.status().key() == "attendance.already_in");
  CHECK(r.status().code() == Code::kAlreadyExists);
}

TEST_CASE("attendance: check-out without check-in is refused") {
  Morning f;
  f.at(9, 0);
  CHECK(check_out(f.db(), f.clock, f.self(), f.s, f.li).status().key() == "attendance.not_in");
}

TEST_CASE("attendance: events beyond the tolerance after the window are refused") {
  // (Before the window the session cannot be open yet: opening has the same
  // tolerance, see "sessions: opening is refused outside the window".)
  Morning f;
  f.at(10, 44);
  CHECK(check_in(f.db(), f.clock, f.self(), f.s, f.li).ok());
  CHECK(check_out(f.db(), f.clock, f.self(), f.s, f.li).ok());
  f.at(10, 46);  // 16 minutes after the end, tolerance is 15
  CHECK(check_in(f.db(), f.clock, f.self(), f.s, f.li).status().key() ==
        "attendance.outside_window");
}

TEST_CASE("attendance: check-in after the session is closed is refused") {
  Morning f;
  f.at(10, 0);
  f.close();
  CHECK(check_in(f.db(), f.clock, f.self(), f.s, f.li).status().key() == "session.closed");
}

TEST_CASE("attendance: a trainee cannot check someone else in") {
  Morning f;
  auto other = f.person("王二", 2);
  f.at(9, 0);
  CHECK(check_in(f.db(), f.clock, f.self(), f.s, other).status().key() == "attendance.not_self");
}

TEST_CASE("attendance: a person not enrolled in the class is refused") {
  Morning f;
  PersonInput in{id_number_born({1990, 1, 1}, 7), "外班人", "嘉峰镇", "李庄村", "", {}};
  auto p = must(register_person(f.db(), f.clock, f.trainer, in));
  f.at(9, 0);
  CHECK(check_in(f.db(), f.clock, Actor::trainee(p), f.s, p).status().key() ==
        "attendance.not_enrolled");
}

TEST_CASE("attendance: a trainer checks a trainee in from the roster") {
  Morning f;
  f.at(9, 0);
  CHECK(check_in(f.db(), f.clock, f.trainer, f.s, f.li).ok());
  auto e = must(effective_events(f.db(), f.s, f.li));
  REQUIRE(e.size() == 1);
  CHECK(e[0].in);
}

TEST_CASE("hours: late arrival is credited from arrival") {
  Morning f;
  f.at(9, 20);
  REQUIRE(check_in(f.db(), f.clock, f.self(), f.s, f.li).ok());
  f.at(10, 30);
  REQUIRE(check_out(f.db(), f.clock, f.self(), f.s, f.li).ok());
  f.close();
  CHECK(f.credited() == 70);
}

TEST_CASE("hours: early leave is credited to departure; early arrival only from the start") {
  Morning f;
  f.at(8, 50);
  REQUIRE(check_in(f.db(), f.clock, f.self(), f.s, f.li).ok());
  f.at(9, 45);
  REQUIRE(check_out(f.db(), f.clock, f.self(), f.s, f.li).ok());
  f.close();
  CHECK(f.credited() == 45);
}

TEST_CASE("hours: leaving and coming back counts both stretches") {
  Morning f;
  f.at(9, 0);
  REQUIRE(check_in(f.db(), f.clock, f.self(), f.s, f.li).ok());
  f.at(9, 30);
  REQUIRE(check_out(f.db(), f.clock, f.self(), f.s, f.li).ok());
  f.at(10, 0);
  REQUIRE(check_in(f.db(), f.clock, f.self(), f.s, f.li).ok());
  f.at(10, 20);
  REQUIRE(check_out(f.db(), f.clock, f.self(), f.s, f.li).ok());
  f.close();
  CHECK(f.credited() == 50);
}

TEST_CASE("hours: a missing check-out credited to the close is flagged") {
  Morning f;
  f.at(9, 0);
  REQUIRE(check_in(f.db(), f.clock, f.self(), f.s, f.li).ok());
  f.at(10, 0);
  auto r =
      must(close_session(f.db(), f.clock, f.trainer, f.s, {MissingCheckout::kCreditToClose, {}}));
  CHECK(r.credit_to_close == std::vector<std::string>{f.li});
  CHECK(f.credited() == 60);
  CHECK(must(hours_for_course(f.db(), f.li, "zhongfeng-yangzhi")).missing_checkouts == 1);
}

TEST_CASE("hours: a missing check-out the trainer does not credit earns nothing") {
  Morning f;
  auto wang = f.person("王阿姨", 3);
  f.at(9, 0);
  REQUIRE(check_in(f.db(), f.clock, f.self(), f.s, f.li).ok());
  REQUIRE(check_in(f.db(), f.clock, f.trainer, f.s, wang).ok());
  f.at(10, 30);
  CloseDecision d{MissingCheckout::kCreditToClose, {{f.li, MissingCheckout::kNone}}};
  auto r = must(close_session(f.db(), f.clock, f.trainer, f.s, d));
  CHECK(r.no_checkout == std::vector<std::string>{f.li});
  CHECK(r.credit_to_close == std::vector<std::string>{wang});
  CHECK(f.credited() == 0);
  CHECK(must(credited_minutes(f.db(), must(get_session(f.db(), f.s)), wang)) == 90);
}

TEST_CASE(
    "corrections: a corrected check-in time changes the credit; nothing is updated in place") {
  Morning f;
  f.at(9, 40);
  auto in = must(check_in(f.db(), f.clock, f.self(), f.s, f.li));
  f.at(10, 30);
  REQUIRE(check_out(f.db(), f.clock, f.self(), f.s, f.li).ok());
  f.close();
  CHECK(f.credited() == 50);
  auto c1 = must(correct_attendance(f.db(), f.clock, f.trainer, in, f.ms(9, 5),
                                    "到场后才刷卡，教师确认9:05已到"));
  CHECK(f.credited() == 85);
  CHECK(*f.db().query_int("SELECT at_ms FROM attendance WHERE uuid = ?", in) == f.ms(9, 40));
  SUBCASE("a correction of a correction replaces it") {
    f.clock.advance(1000);
    REQUIRE(correct_attendance(f.db(), f.clock, f.trainer, c1, f.ms(9, 10),
                               "更正上一次更正：实际9:10到")
                .ok());
    CHECK(f.credited() == 80);
  }
  SUBCASE("a voided check-in leaves nothing to credit") {
    f.clock.advance(1000);
    REQUIRE(
        correct_attendance(f.db(), f.clock, f.trainer, c1, std::nullopt, "代签，本人未到").ok());
    CHECK(f.credited() == 0);
  }
}

TEST_CASE("corrections: a correction without a reason is refused") {
  Morning f;
  f.at(9, 0);
  auto in = must(check_in(f.db(), f.clock, f.self(), f.s, f.li));
  CHECK(correct_attendance(f.db(), f.clock, f.trainer, in, f.ms(9, 5), "  ").status().key() ==
        "correction.reason");
}

TEST_CASE("corrections: an unknown record or a time outside the session is refused") {
  Morning f;
  f.at(9, 0);
  auto in = must(check_in(f.db(), f.clock, f.self(), f.s, f.li));
  CHECK(correct_attendance(f.db(), f.clock, f.trainer, "no-such", f.ms(9, 5), "x").status().key() ==
        "correction.target");
  CHECK(correct_attendance(f.db(), f.clock, f.trainer, in, f.ms(13, 0), "x").status().key() ==
        "correction.outside_window");
}

TEST_CASE("corrections: a trainee cannot correct attendance") {
  Morning f;
  f.at(9, 0);
  auto in = must(check_in(f.db(), f.clock, f.self(), f.s, f.li));
  CHECK(correct_attendance(f.db(), f.clock, f.self(), in, f.ms(8, 50), "我早到了").status().key() ==
        "role.denied");
}

TEST_CASE("sessions: opening is refused outside the window, twice, or by another class's trainer") {
  DomainFixture f;
  auto s = f.session(14, 0, 16, 0);
  f.at(13, 30);
  CHECK(open_session(f.db(), f.clock, f.trainer, s).key() == "session.outside_window");
  auto other =
      must(add_staff(f.db(), f.clock, f.admin, {"孙老师", Role::kTrainer, "龙港镇"}, f.fast_pins));
  f.at(13, 50);
  CHECK(open_session(f.db(), f.clock, Actor{Role::kTrainer, other.id}, s).key() ==
        "session.not_your_class");
  auto assessor =
      must(add_staff(f.db(), f.clock, f.admin, {"周考评", Role::kAssessor, "龙港镇"}, f.fast_pins));
  CHECK(open_session(f.db(), f.clock, Actor{Role::kAssessor, assessor.id}, s).key() ==
        "role.denied");
  CHECK(open_session(f.db(), f.clock, f.trainer, s).ok());
  CHECK(open_session(f.db(), f.clock, f.trainer, s).key() == "session.already_open");
}

TEST_CASE("sessions: closing needs an open session, once") {
  DomainFixture f;
  auto s = f.session(9, 0, 10, 0);
  f.at(9, 0);
  CHECK(close_session(f.db(), f.clock, f.trainer, s, {}).status().key() == "session.not_open");
  REQUIRE(open_session(f.db(), f.clock, f.trainer, s).ok());
  REQUIRE(close_session(f.db(), f.clock, f.trainer, s, {}).ok());
  CHECK(close_session(f.db(), f.clock, f.trainer, s, {}).status().key() == "session.closed");
}

TEST_CASE("time: a clock behind the last HLC stamp keeps sessions shut until a trainer confirms") {
  DomainFixture f;
  auto s = f.session(9, 0, 10, 0);
  auto p = f.person("马·阿不都", 9);
  f.at(9, 0);
  REQUIRE(open_session(f.db(), f.clock, f.trainer, s).ok());
  std::int64_t nine_oh_five = f.ms(9, 5);
  f.clock.set(nine_oh_five + kDayMs);  // the clock ran a day ahead and a record was stamped...
  f.person("刘明", 10);
  f.clock.set(nine_oh_five);  // ...then it was set back
  auto r = check_in(f.db(), f.clock, Actor::trainee(p), s, p);
  CHECK(r.status().key() == "time.unconfirmed");
  auto t = must(time_status(f.db(), f.clock));
  CHECK(t.behind_hlc);
  CHECK_FALSE(t.trusted());
  CHECK(confirm_time(f.db(), f.clock, Actor::trainee(p)).key() == "role.denied");
  REQUIRE(confirm_time(f.db(), f.clock, f.trainer).ok());
  CHECK(must(time_status(f.db(), f.clock)).trusted());
  CHECK(check_in(f.db(), f.clock, Actor::trainee(p), s, p).ok());
  CHECK(must(recent_audit(f.db(), 5, "time.confirm")).size() == 1);
}

TEST_CASE("time: a clock before the build date is not trusted until confirmed") {
  DomainFixture f;
  f.clock.set(china_midnight_ms({kBuildYear, kBuildMonth, kBuildDay}) - kDayMs);
  auto t = must(time_status(f.db(), f.clock));
  CHECK(t.before_build);
  CHECK_FALSE(t.trusted());
  CHECK(confirm_time(f.db(), f.clock, Actor::trainee("x")).key() == "role.denied");
  REQUIRE(confirm_time(f.db(), f.clock, f.trainer).ok());
  CHECK(must(time_status(f.db(), f.clock)).trusted());
}

TEST_CASE("hours: theory and practical add up per course and the exam opens when both are met") {
  DomainFixture f;
  auto p = f.person("郭堃", 11);
  auto t1 = f.session(9, 0, 10, 30);                            // 90 min theory = 2 学时
  auto pr = f.session(14, 0, 14, 44, SessionKind::kPractical);  // 44 min: one short of 1 学时
  for (auto [s, a, b, c, d] : {std::tuple{t1, 9, 0, 10, 30}, std::tuple{pr, 14, 0, 14, 44}}) {
    f.at(a, b);
    REQUIRE(open_session(f.db(), f.clock, f.trainer, s).ok());
    REQUIRE(check_in(f.db(), f.clock, f.trainer, s, p).ok());
    f.at(c, d);
    REQUIRE(check_out(f.db(), f.clock, f.trainer, s, p).ok());
    REQUIRE(close_session(f.db(), f.clock, f.trainer, s, {}).ok());
  }
  auto h = must(hours_for_course(f.db(), p, "zhongfeng-yangzhi"));
  CHECK(h.theory_done_min == 90);
  CHECK(h.theory_hours() == 2);
  CHECK(h.practical_done_min == 44);
  CHECK(h.practical_hours() == 0);
  CHECK_FALSE(must(exam_eligible(f.db(), p, "zhongfeng-yangzhi")));
  REQUIRE(set_minutes_per_hour(f.db(), 40).ok());  // a county that counts 40-minute 学时
  CHECK(must(exam_eligible(f.db(), p, "zhongfeng-yangzhi")));
  CHECK(set_minutes_per_hour(f.db(), 5).key() == "hours.minutes_per_hour");
  auto all = must(hours_for_person(f.db(), p));
  REQUIRE(all.size() == 1);
  CHECK(all[0].course_name == "中蜂养殖");
}

TEST_CASE("roster: each enrolled trainee shows today's status") {
  Morning f;
  auto wang = f.person("王喆", 4);
  auto zhao = f.person("赵䶮", 5);
  f.at(9, 0);
  REQUIRE(check_in(f.db(), f.clock, f.self(), f.s, f.li).ok());
  REQUIRE(check_in(f.db(), f.clock, Actor::trainee(wang), f.s, wang).ok());
  REQUIRE(check_out(f.db(), f.clock, Actor::trainee(wang), f.s, wang).ok());
  auto roster = must(class_roster(f.db(), f.clock, f.class_id));
  REQUIRE(roster.size() == 3);
  for (const auto& line : roster) {
    if (line.person == f.li) CHECK(line.today == Presence::kIn);
    if (line.person == wang) CHECK(line.today == Presence::kOut);
    if (line.person == zhao) CHECK(line.today == Presence::kAbsent);
    CHECK(line.masked_id.find("**********") == 4);
  }
}

TEST_CASE("attendance: every write leaves one record and one audit entry, and the chain holds") {
  Morning f;
  auto before = *f.db().query_int("SELECT count(*) FROM outbox");
  auto audits = *f.db().query_int("SELECT count(*) FROM audit");
  f.at(9, 0);
  REQUIRE(check_in(f.db(), f.clock, f.self(), f.s, f.li).ok());
  CHECK(*f.db().query_int("SELECT count(*) FROM outbox") == before + 1);
  CHECK(*f.db().query_int("SELECT count(*) FROM audit") == audits + 1);
  REQUIRE(check_in(f.db(), f.clock, f.self(), f.s, f.li).status().key() == "attendance.already_in");
  CHECK(*f.db().query_int("SELECT count(*) FROM outbox") == before + 1);
  CHECK(f.store.check().ok());
}
