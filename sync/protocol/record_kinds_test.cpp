#include "sync/protocol/record_kinds.h"

#include <doctest/doctest.h>

using namespace chz::sync::kinds;

TEST_CASE("record kinds: mutable kinds, facts and tombstones are told apart") {
  CHECK(is_mutable("person"));
  CHECK(is_mutable("session"));
  CHECK_FALSE(is_fact("person"));
  CHECK(is_fact("attendance"));
  CHECK(is_fact("roster_confirm"));
  CHECK(is_fact("exam_answer"));  // other areas' kinds are facts
  CHECK_FALSE(is_fact("tombstone"));
  CHECK_FALSE(is_mutable("tombstone"));
}

TEST_CASE("record kinds: entities are <kind>:<id>") {
  CHECK(entity("person", "abc") == "person:abc");
  CHECK(entity_kind("enrolment:c1:p1") == "enrolment");
  CHECK(entity_id("enrolment:c1:p1") == "c1:p1");
  CHECK(entity_kind("nocolon").empty());
}

TEST_CASE("record kinds: staff secrets verify only with the right secret and a well-formed hash") {
  auto h = hash_staff_secret("284715", 1000);
  CHECK(verify_staff_secret(h, "284715"));
  CHECK_FALSE(verify_staff_secret(h, "284716"));
  CHECK_FALSE(verify_staff_secret("", "284715"));
  CHECK_FALSE(verify_staff_secret("pbkdf2-sha256$x$00$00", "284715"));
  CHECK_FALSE(verify_staff_secret("md5$1$00$00", "284715"));
  CHECK(std::size(kKeyGroups) == 10);
}
