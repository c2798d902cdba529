#include "kiosk/demo_fill.h"

#include <doctest/doctest.h>

#include "kiosk/domain_testing.h"
#include "kiosk/hours.h"
#include "kiosk/people.h"
#include "kiosk/staff.h"

using namespace chz;
using namespace chz::kiosk;
using chz::kiosk::testing::TempStore;

TEST_CASE("demo-fill: a standalone demo has people, staff, classes and confirmed hours") {
  TempStore t;
  DemoFillOptions o;
  o.people = 16;
  o.days_back = 3;
  o.pin_iterations = 1000;
  auto r = fill_demo(t.db(), t.clock, o);
  REQUIRE_MESSAGE(r.ok(), r.status().to_string());
  CHECK(r->people == 16);
  CHECK(r->staff == 4);
  CHECK(r->sessions == 8);
  CHECK(r->attendance_events > 20);
  auto people = list_people(t.db());
  REQUIRE(people.ok());
  int with_hours = 0;
  for (const auto& p : *people) {
    auto h = hours_for_person(t.db(), p.key);
    REQUIRE(h.ok());
    REQUIRE(h->size() == 1);
    if ((*h)[0].theory_done_min + (*h)[0].practical_done_min > 0) ++with_hours;
  }
  CHECK(with_hours > 8);
  // The demo PIN signs a trainer in.
  CHECK(sign_in(t.db(), t.clock, "demo-staff-002", o.pin, PinPolicy{1000}).ok());
  CHECK(t.store.check().ok());
  CHECK(fill_demo(t.db(), t.clock, o).status().code() == Code::kAlreadyExists);
}

TEST_CASE("demo-fill: a replay months back registers its people aged 16-60 on its first day") {
  // Seed 5 with 40 people over 60 days once drew someone aged 16-60 today
  // but 15 on the replay's first day, when they are registered; seed 9 is
  // one more that the sanitizer stage can afford.
  for (std::uint64_t seed : {5, 9}) {
    CAPTURE(seed);
    TempStore t;
    DemoFillOptions o;
    o.people = 40;
    o.days_back = 60;
    o.seed = seed;
    o.pin_iterations = 1000;
    auto r = fill_demo(t.db(), t.clock, o);
    REQUIRE_MESSAGE(r.ok(), r.status().to_string());
    CHECK(r->people == 40);
  }
}
