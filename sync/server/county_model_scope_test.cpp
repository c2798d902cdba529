#include "sync/server/county_model_scope.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace chz::server::model;
using nlohmann::json;

TEST_CASE("scope: a record belongs to the county whose area heads its site or names its origin") {
  CHECK(record_scope("site-a", "kiosk-0123") == "");                     // at a county
  CHECK(record_scope("_registry", "county") == "");                      // the county's own
  CHECK(record_scope("140521/site-a", "kiosk-0123") == "140521/");       // a city
  CHECK(record_scope("140500/140521/site-a", "k") == "140500/140521/");  // a province
  CHECK(record_scope("county:140521", "county-140521") == "140521/");
  // A site id a bureau typed with a slash is not an area.
  CHECK(record_scope("东岭/一站", "k") == "");
  CHECK(record_scope("14052/site", "k") == "");
  CHECK(record_scope("14x521/site", "k") == "");
}

TEST_CASE("scope: every county-local id a body names goes under the county, nothing else") {
  json enrol = {{"entity", "enrolment:k1:abc"}, {"class", "k1"}, {"person", "abc"}, {"active", 1}};
  scope_ids("enrolment", enrol, "140521/");
  CHECK(enrol["entity"] == "enrolment:140521/k1:140521/abc");
  CHECK(enrol["class"] == "140521/k1");
  CHECK(enrol["person"] == "140521/abc");
  CHECK(enrol["active"] == 1);

  json roster = {{"session", "s1"},
                 {"present", {"p1", "p2"}},
                 {"no_checkout", {"p3"}},
                 {"by", "staff-1"},
                 {"at_ms", 5}};
  scope_ids("roster_confirm", roster, "140521/");
  CHECK(roster["session"] == "140521/s1");
  CHECK(roster["present"] == json({"140521/p1", "140521/p2"}));
  CHECK(roster["no_checkout"] == json({"140521/p3"}));
  CHECK(roster["by"] == "staff-1");

  json cls = {{"entity", "class:k1"}, {"course", "c1"}, {"site", "site-a"}, {"name", "烹调一班"}};
  scope_ids("class", cls, "140522/");
  CHECK(cls["entity"] == "class:140522/k1");
  CHECK(cls["course"] == "140522/c1");
  CHECK(cls["site"] == "140522/site-a");
  CHECK(cls["name"] == "烹调一班");

  json person = {{"entity", "person:abc"}, {"township", "城关镇"}, {"name", "张𠮷"}};
  scope_ids("person", person, "140521/");
  CHECK(person["entity"] == "person:140521/abc");
  CHECK(person["township"] == "城关镇");

  json tomb = {{"entity", "session:s9"}};
  scope_ids("tombstone", tomb, "140521/");
  CHECK(tomb["entity"] == "session:140521/s9");
  // An empty reference stays empty (an exam outside any class).
  json exam = {{"person", "abc"}, {"course", "c1"}, {"class", ""}};
  scope_ids("exam_attempt", exam, "140521/");
  CHECK(exam["class"] == "");
}

TEST_CASE("scope: a county's own records get a uuid of their county, kiosks' keep theirs") {
  CHECK(scoped_uuid("u1", "county-140521", "140521/") == "140521/u1");
  CHECK(scoped_uuid("u1", "kiosk-1", "140521/") == "u1");
  CHECK(scoped_uuid("u1", "county", "") == "u1");
}
