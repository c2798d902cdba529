#include "kiosk/outbox.h"

#include <doctest/doctest.h>

#include "kiosk/domain_testing.h"
#include "kiosk/kiosk_time.h"

using namespace chz;
using namespace chz::kiosk;
using chz::kiosk::testing::TempStore;

TEST_CASE("outbox: records get seq 1, 2, 3 with this device's id and rising HLC") {
  TempStore t;
  std::vector<sync::RecordMeta> metas;
  for (int i = 0; i < 3; ++i) {
    REQUIRE(t.db()
                .transaction([&]() -> Status {
                  CHZ_ASSIGN_OR_RETURN(auto m, append_record(t.db(), t.clock, "attendance",
                                                             {{"n", i}, {"a", "甲"}}));
                  metas.push_back(m);
                  return OkStatus();
                })
                .ok());
  }
  auto id = t.store.identity();
  REQUIRE(id.ok());
  for (int i = 0; i < 3; ++i) {
    CHECK(metas[i].seq == i + 1);
    CHECK(metas[i].origin_device == id->device_id);
    CHECK(metas[i].wall_ms == t.clock.now_ms());
  }
  CHECK(metas[0].hlc < metas[1].hlc);
  CHECK(metas[1].hlc < metas[2].hlc);
  KioskRecordSource src(t.db());
  auto recs = src.records_after(1, 10);
  REQUIRE(recs.ok());
  REQUIRE(recs->size() == 2);
  CHECK((*recs)[0].meta == metas[1]);
  CHECK((*recs)[0].body == R"({"a":"甲","n":1})");
  CHECK(*src.last_seq() == 3);
}

TEST_CASE("outbox: a rolled-back transaction leaves no seq behind") {
  TempStore t;
  auto st = t.db().transaction([&]() -> Status {
    CHZ_TRY(append_record(t.db(), t.clock, "person", {{"entity", "person:x"}}).status());
    return Status(Code::kConflict, "domain refused");
  });
  CHECK(st.code() == Code::kConflict);
  REQUIRE(t.db()
              .transaction([&]() -> Status {
                CHZ_ASSIGN_OR_RETURN(
                    auto m, append_record(t.db(), t.clock, "person", {{"entity", "person:y"}}));
                CHECK(m.seq == 1);
                return OkStatus();
              })
              .ok());
}

TEST_CASE("outbox: bodies with floats or non-objects are refused") {
  TempStore t;
  auto st = t.db().transaction([&]() -> Status {
    return append_record(t.db(), t.clock, "x", {{"score", 1.5}}).status();
  });
  CHECK(st.code() == Code::kInvalidArgument);
  st = t.db().transaction([&]() -> Status {
    return append_record(t.db(), t.clock, "x", nlohmann::json::array({1})).status();
  });
  CHECK(st.code() == Code::kInvalidArgument);
  CHECK(*KioskRecordSource(t.db()).last_seq() == 0);
}

TEST_CASE("outbox: the acknowledged cursor only moves forward and not past the last record") {
  TempStore t;
  for (int i = 0; i < 4; ++i)
    REQUIRE(t.db()
                .transaction([&] {
                  return append_record(t.db(), t.clock, "k", {{"i", i}}).status();
                })
                .ok());
  KioskRecordSource src(t.db());
  CHECK(src.set_acknowledged(3).ok());
  CHECK(src.set_acknowledged(2).ok());
  CHECK(*src.acknowledged() == 3);
  CHECK(src.set_acknowledged(5).code() == Code::kOutOfRange);
  CHECK(*src.acknowledged() == 3);
}

TEST_CASE("outbox: records carry the server offset and stamp HLC in corrected time") {
  TempStore t;
  REQUIRE(set_server_offset(t.db(), 60'000).ok());
  REQUIRE(t.db()
              .transaction([&]() -> Status {
                CHZ_ASSIGN_OR_RETURN(auto m, append_record(t.db(), t.clock, "k", {{"i", 1}}));
                CHECK(m.offset_ms == 60'000);
                CHECK(m.hlc.physical_ms == t.clock.now_ms() + 60'000);
                return OkStatus();
              })
              .ok());
}
