#include "kiosk/kiosk_time.h"

#include <doctest/doctest.h>

#include "kiosk/audit.h"
#include "kiosk/domain_fixture.h"
#include "kiosk/record_sink.h"

using namespace chz;
using namespace chz::kiosk;
using namespace chz::kiosk::testing;

TEST_CASE("time: corrected time is the device clock plus the server's offset") {
  DomainFixture f;
  REQUIRE(set_server_offset(f.db(), 90'000).ok());
  CHECK(must(kiosk_now(f.db(), f.clock)) == f.clock.now_ms() + 90'000);
  CHECK(must(time_status(f.db(), f.clock)).trusted());
}

TEST_CASE("time: a server offset that moves the clock back does not shut sessions") {
  DomainFixture f;
  f.at(9, 0);
  f.person("王喆", 1);                                     // stamped at 09:00
  REQUIRE(set_server_offset(f.db(), -20 * kMinute).ok());  // the server says we were 20 min fast
  auto t = must(time_status(f.db(), f.clock));
  CHECK(t.behind_hlc);  // behind what we stamped, but the server vouches for the time
  CHECK(t.confirmed);
  CHECK(t.trusted());
}

TEST_CASE("time: another kiosk's fast stamps arriving by sync do not shut this kiosk's sessions") {
  DomainFixture f;
  sync::Record r;
  std::int64_t ahead = f.clock.now_ms() + 3 * 3600 * 1000;
  r.meta = {"fast-1", "kiosk-fast", 1, {ahead, 0}, ahead, 0};
  r.kind = "person";
  r.body = nlohmann::json{{"entity", "person:" + std::string(64, 'e')}, {"name", "快钟"}}.dump();
  KioskRecordSink sink(f.db(), f.clock);
  REQUIRE(sink.apply({r}, "1").ok());
  CHECK(must(last_hlc(f.db())).physical_ms == ahead);
  CHECK(must(time_status(f.db(), f.clock)).trusted());
  // Our own records still order after it.
  f.person("王喆", 1);
  CHECK(must(last_hlc(f.db())).physical_ms == ahead);
  CHECK(must(last_hlc(f.db())).logical >= 1);
}

TEST_CASE("time: a trainer may confirm by entering the right time, which sets the offset") {
  DomainFixture f;
  f.at(9, 0);
  f.person("王喆", 1);
  f.clock.set(f.ms(9, 0) - 3 * kDayMs);  // the clock lost three days
  CHECK_FALSE(must(time_status(f.db(), f.clock)).trusted());
  std::int64_t actual = f.ms(9, 0) + 2 * kMinute;
  REQUIRE(confirm_time(f.db(), f.clock, f.trainer, actual).ok());
  CHECK(must(kiosk_now(f.db(), f.clock)) == actual);
  auto t = must(time_status(f.db(), f.clock));
  CHECK(t.trusted());
  auto a = must(recent_audit(f.db(), 1, "time.confirm"));
  REQUIRE(a.size() == 1);
  CHECK(a[0].actor == "staff:" + f.trainer.id);
}
