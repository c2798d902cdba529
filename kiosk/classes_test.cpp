#include "kiosk/classes.h"

#include <doctest/doctest.h>

#include "kiosk/domain_fixture.h"
#include "kiosk/outbox.h"

using namespace chz;
using namespace chz::kiosk;
using namespace chz::kiosk::testing;

TEST_CASE(
    "courses: the facts of a course package are stored; an older version does not overwrite") {
  DomainFixture f;
  content::Course c;
  c.id = "lianqiao-zhongzhi";
  c.name = "连翘种植";
  c.level = content::Level::kSpecial;
  c.theory_hours = 20;
  c.practical_hours = 20;
  c.version = 2;
  REQUIRE(upsert_course(f.db(), c).ok());
  c.theory_hours = 10;
  c.version = 1;
  REQUIRE(upsert_course(f.db(), c).ok());
  auto got = must(get_course(f.db(), "lianqiao-zhongzhi"));
  CHECK(got.theory_hours == 20);
  CHECK(got.level == content::Level::kSpecial);
  CHECK(must(list_courses(f.db())).size() == 2);
  CHECK(get_course(f.db(), "none").status().key() == "course.unknown");
}

TEST_CASE("classes: a class needs a known course, a name and a sensible capacity") {
  DomainFixture f;
  CHECK(create_class(f.db(), f.clock, f.admin, {"none", "龙港镇", "班", 30, {}}).status().key() ==
        "course.unknown");
  CHECK(create_class(f.db(), f.clock, f.admin, {"zhongfeng-yangzhi", "龙港镇", "", 30, {}})
            .status()
            .key() == "class.name");
  CHECK(create_class(f.db(), f.clock, f.admin, {"zhongfeng-yangzhi", "龙港镇", "班", 0, {}})
            .status()
            .key() == "class.capacity");
  CHECK(create_class(f.db(), f.clock, Actor::trainee("x"),
                     {"zhongfeng-yangzhi", "龙港镇", "班", 30, {}})
            .status()
            .key() == "role.denied");
  auto c = must(get_class(f.db(), f.class_id));
  CHECK(c.trainers == std::vector<std::string>{f.trainer.id});
}

TEST_CASE("classes: enrolment is refused when full, twice, or for an unknown person") {
  DomainFixture f;
  auto small =
      must(create_class(f.db(), f.clock, f.admin, {"zhongfeng-yangzhi", "龙港镇", "小班", 1, {}}));
  auto a = f.person("甲", 1), b = f.person("乙", 2);
  REQUIRE(enrol(f.db(), f.clock, f.trainer, small, a).ok());
  CHECK(enrol(f.db(), f.clock, f.trainer, small, a).key() == "enrol.exists");
  CHECK(enrol(f.db(), f.clock, f.trainer, small, b).key() == "class.full");
  CHECK(enrol(f.db(), f.clock, f.trainer, small, std::string(64, 'f')).key() == "person.unknown");
  REQUIRE(withdraw(f.db(), f.clock, f.trainer, small, a).ok());
  CHECK(enrol(f.db(), f.clock, f.trainer, small, b).ok());
  CHECK(must(enrolled_people(f.db(), small)) == std::vector<std::string>{b});
}

TEST_CASE("sessions: a session ends after it starts; times read as China time") {
  DomainFixture f;
  CHECK(add_session(f.db(), f.clock, f.trainer,
                    {f.class_id, f.today(), 600, 540, SessionKind::kTheory})
            .status()
            .key() == "session.window");
  auto s = must(get_session(f.db(), f.session(9, 0, 11, 15, SessionKind::kPractical)));
  CHECK(s.kind == SessionKind::kPractical);
  CHECK(s.end_ms - s.start_ms == 135 * kMinute);
  CHECK(china_minute_of_day(s.start_ms) == 540);
  CHECK(*parse_minute("09:05") == 545);
  CHECK(format_minute(545) == "09:05");
  CHECK_FALSE(parse_minute("24:00").ok());
}

TEST_CASE(
    "sessions: a cancelled session is a tombstone record; an opened one cannot be cancelled") {
  DomainFixture f;
  auto s1 = f.session(9, 0, 10, 0);
  auto s2 = f.session(9, 0, 10, 0);
  REQUIRE(cancel_session(f.db(), f.clock, f.trainer, s1).ok());
  CHECK(get_session(f.db(), s1).status().key() == "session.unknown");
  CHECK(*f.db().query_text("SELECT kind FROM outbox ORDER BY seq DESC LIMIT 1") == "tombstone");
  f.at(9, 0);
  REQUIRE(open_session(f.db(), f.clock, f.trainer, s2).ok());
  CHECK(cancel_session(f.db(), f.clock, f.trainer, s2).key() == "session.already_opened");
}
