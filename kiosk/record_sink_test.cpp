#include "kiosk/record_sink.h"

#include <doctest/doctest.h>

#include "kiosk/domain_fixture.h"
#include "kiosk/hours.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/outbox.h"
#include "sync/protocol/record_kinds.h"

using namespace chz;
using namespace chz::kiosk;
using namespace chz::kiosk::testing;
namespace k = chz::sync::kinds;

namespace {

std::vector<sync::Record> outbox_of(Db& db) {
  KioskRecordSource src(db);
  return must(src.records_after(0, 100000));
}

// A record as the county would send it.
sync::Record county(std::int64_t seq, std::string_view kind, const nlohmann::json& body,
                    std::int64_t hlc_ms) {
  sync::Record r;
  r.meta.uuid = "county-" + std::to_string(seq);
  r.meta.origin_device = "county";
  r.meta.seq = seq;
  r.meta.hlc = {hlc_ms, 0};
  r.meta.wall_ms = hlc_ms;
  r.kind = kind;
  r.body = body.dump();
  return r;
}

}  // namespace

TEST_CASE("sink: two kiosks registering the same person offline end up with one person") {
  DomainFixture a, b;
  auto id = id_number_born({1982, 7, 7}, 77);
  auto ka = must(register_person(a.db(), a.clock, a.trainer,
                                 {id, "阿依古丽·买买提", "龙港镇", "青龙村", "", {"退役军人"}}));
  b.clock.advance(1000);  // b writes later: its name wins by HLC
  auto kb = must(register_person(b.db(), b.clock, b.trainer,
                                 {id, "阿依古丽·买买提明", "龙港镇", "青龙村", "", {"两后生"}}));
  CHECK(ka == kb);
  KioskRecordSink sink_b(b.db(), b.clock), sink_a(a.db(), a.clock);
  REQUIRE(sink_b.apply(outbox_of(a.db()), "c1").ok());
  REQUIRE(sink_a.apply(outbox_of(b.db()), "c1").ok());
  CHECK(*b.db().query_int("SELECT count(*) FROM people WHERE id_number = ?", id) == 1);
  auto pa = must(get_person(a.db(), ka)), pb = must(get_person(b.db(), kb));
  CHECK(pa.name == "阿依古丽·买买提明");
  CHECK(pb.name == pa.name);
  CHECK(pa.groups == std::vector<std::string>{"两后生", "退役军人"});
  CHECK(pb.groups == pa.groups);
}

TEST_CASE("sink: applying the same page twice changes nothing; the cursor is kept") {
  DomainFixture a, b;
  a.person("王喆", 1);
  auto recs = outbox_of(a.db());
  KioskRecordSink sink(b.db(), b.clock);
  REQUIRE(sink.apply(recs, "page-1").ok());
  auto inbox = *b.db().query_int("SELECT count(*) FROM inbox");
  auto audit = *b.db().query_int("SELECT count(*) FROM audit");
  REQUIRE(sink.apply(recs, "page-1").ok());
  CHECK(*b.db().query_int("SELECT count(*) FROM inbox") == inbox);
  CHECK(*b.db().query_int("SELECT count(*) FROM audit") == audit);
  CHECK(*sink.feed_cursor() == "page-1");
}

TEST_CASE("sink: a kiosk's own records coming back are skipped") {
  DomainFixture a;
  a.person("王喆", 1);
  KioskRecordSink sink(a.db(), a.clock);
  REQUIRE(sink.apply(outbox_of(a.db()), "x").ok());
  CHECK(*a.db().query_int("SELECT count(*) FROM inbox") == 0);
}

TEST_CASE("sink: fields merge last-writer-wins by HLC, whatever order they arrive in") {
  DomainFixture b;
  std::string e = "person:" + std::string(64, 'a');
  auto newer = county(2, k::kPerson, {{"entity", e}, {"village", "新村"}}, 2'000);
  auto older =
      county(1, k::kPerson, {{"entity", e}, {"village", "旧村"}, {"township", "嘉峰镇"}}, 1'000);
  KioskRecordSink sink(b.db(), b.clock);
  REQUIRE(sink.apply({newer}, "1").ok());
  REQUIRE(sink.apply({older}, "2").ok());
  CHECK(*b.db().query_text("SELECT village FROM people WHERE id = ?", std::string(64, 'a')) ==
        "新村");
  CHECK(*b.db().query_text("SELECT township FROM people WHERE id = ?", std::string(64, 'a')) ==
        "嘉峰镇");
}

TEST_CASE("sink: the registry's name wins over a kiosk-typed name, whatever the stamps") {
  DomainFixture b;
  std::string id(64, 'b');
  std::string e = "person:" + id;
  KioskRecordSink sink(b.db(), b.clock);
  REQUIRE(
      sink.apply({county(1, k::kPerson,
                         {{"entity", e}, {"name", "张晓红"}, {"name_source", "registry"}}, 1'000)},
                 "1")
          .ok());
  sync::Record typed =
      county(2, k::kPerson, {{"entity", e}, {"name", "张小红"}, {"name_source", "kiosk"}}, 9'000);
  typed.meta.origin_device = "kiosk-other";
  REQUIRE(sink.apply({typed}, "2").ok());
  CHECK(*b.db().query_text("SELECT name FROM people WHERE id = ?", id) == "张晓红");
}

TEST_CASE("sink: a tombstone deletes a mutable record") {
  DomainFixture b;
  std::string id(64, 'c');
  KioskRecordSink sink(b.db(), b.clock);
  REQUIRE(sink.apply({county(1, k::kPerson, {{"entity", "person:" + id}, {"name", "赵六"}}, 1'000),
                      county(2, k::kTombstone, {{"entity", "person:" + id}}, 2'000)},
                     "1")
              .ok());
  CHECK(get_person(b.db(), id).status().code() == Code::kNotFound);
}

TEST_CASE(
    "sink: the county's newest minutes-per-学时 setting wins; a kiosk's or an older one does "
    "not") {
  DomainFixture b;
  KioskRecordSink sink(b.db(), b.clock);
  auto setting = [](std::int64_t seq, int minutes, std::int64_t hlc) {
    return county(seq, k::kCountySetting, {{"key", k::kMinutesPerHourKey}, {"value", minutes}},
                  hlc);
  };
  REQUIRE(*minutes_per_hour(b.db()) == 45);
  REQUIRE(sink.apply({setting(1, 40, 2'000)}, "1").ok());
  CHECK(*minutes_per_hour(b.db()) == 40);
  // Delivered late, an older setting changes nothing.
  REQUIRE(sink.apply({setting(2, 50, 1'000)}, "2").ok());
  CHECK(*minutes_per_hour(b.db()) == 40);
  // Another kiosk may not set it, however new its record.
  auto forged = setting(3, 30, 9'000);
  forged.meta.origin_device = "kiosk-other";
  REQUIRE(sink.apply({forged}, "3").ok());
  CHECK(*minutes_per_hour(b.db()) == 40);
  // Out of range: ignored, the page still applies.
  REQUIRE(sink.apply({setting(4, 500, 9'500)}, "4").ok());
  CHECK(*minutes_per_hour(b.db()) == 40);
  REQUIRE(sink.apply({setting(5, 60, 10'000)}, "5").ok());
  CHECK(*minutes_per_hour(b.db()) == 60);
}

TEST_CASE("sink: a malformed record rolls the whole page back and keeps the old cursor") {
  DomainFixture b;
  KioskRecordSink sink(b.db(), b.clock);
  REQUIRE(sink.apply({}, "before").ok());
  auto good = county(1, k::kPerson,
                     {{"entity", "person:" + std::string(64, 'd')}, {"name", "钱七"}}, 1'000);
  auto bad = county(2, k::kAttendance, {{"session", "s"}}, 2'000);
  CHECK(sink.apply({good, bad}, "after").status().code() == Code::kInvalidArgument);
  CHECK(*sink.feed_cursor() == "before");
  CHECK(*b.db().query_int("SELECT count(*) FROM inbox") == 0);
}

TEST_CASE("sink: another kiosk's confirmed attendance counts toward hours here") {
  DomainFixture a, b;
  auto li = a.person("李𠮷祥", 3);
  auto s = a.session(9, 0, 10, 0);
  a.at(9, 0);
  REQUIRE(open_session(a.db(), a.clock, a.trainer, s).ok());
  REQUIRE(check_in(a.db(), a.clock, Actor::trainee(li), s, li).ok());
  a.at(10, 0);
  REQUIRE(check_out(a.db(), a.clock, Actor::trainee(li), s, li).ok());
  REQUIRE(close_session(a.db(), a.clock, a.trainer, s, {}).ok());
  KioskRecordSink sink(b.db(), b.clock);
  REQUIRE(sink.apply(outbox_of(a.db()), "c").ok());
  auto h = must(hours_for_course(b.db(), li, "zhongfeng-yangzhi"));
  CHECK(h.theory_done_min == 60);
  // b's HLC now follows a's stamps.
  CHECK(must(last_hlc(b.db())) >= must(last_hlc(a.db())));
}

TEST_CASE("sink: unknown kinds go to the extra projector, once") {
  DomainFixture b;
  int calls = 0;
  KioskRecordSink sink(b.db(), b.clock, [&](Db&, const sync::Record& r) {
    if (r.kind == "exam_answer") ++calls;
    return OkStatus();
  });
  auto r = county(1, "exam_answer", {{"q", 1}}, 1'000);
  REQUIRE(sink.apply({r}, "1").ok());
  REQUIRE(sink.apply({r}, "2").ok());
  CHECK(calls == 1);
}
