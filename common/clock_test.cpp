#include "common/clock.h"

#include <doctest/doctest.h>

using namespace chz;

TEST_CASE("clock: civil dates round-trip across centuries") {
  for (std::int64_t d = -800000; d <= 800000; d += 997)
    CHECK(days_from_civil(civil_from_days(d)) == d);
  CHECK(days_from_civil({1970, 1, 1}) == 0);
  CHECK(days_from_civil({2000, 3, 1}) == 11017);
}

TEST_CASE("clock: China date is UTC+8 without daylight saving") {
  // 2026-11-23 15:59:59 UTC is 23:59:59 in China; a second later it is the 24th.
  std::int64_t t = china_midnight_ms({2026, 11, 24}) - 1000;
  CHECK(china_date(t) == CivilDate{2026, 11, 23});
  CHECK(china_date(t + 1000) == CivilDate{2026, 11, 24});
  CHECK(china_minute_of_day(t) == 23 * 60 + 59);
  CHECK(format_china_time(china_midnight_ms({2026, 7, 1}) + 8 * 3600000 + 5 * 60000) ==
        "2026-07-01 08:05");
}

TEST_CASE("clock: leap years and impossible dates") {
  CHECK(is_valid_date({2024, 2, 29}));
  CHECK_FALSE(is_valid_date({2023, 2, 29}));
  CHECK(is_valid_date({2000, 2, 29}));
  CHECK_FALSE(is_valid_date({1900, 2, 29}));
  CHECK_FALSE(parse_date("2023-02-29").ok());
  CHECK_FALSE(parse_date("2023-13-01").ok());
  CHECK_FALSE(parse_date("2023-1-01").ok());
  CHECK(parse_date("1966-06-30").value() == CivilDate{1966, 6, 30});
}

TEST_CASE("clock: age counts whole years, birthdays included") {
  CHECK(age_on({1966, 11, 23}, {2026, 11, 23}) == 60);
  CHECK(age_on({1966, 11, 24}, {2026, 11, 23}) == 59);
  CHECK(age_on({2010, 11, 24}, {2026, 11, 23}) == 15);
}

TEST_CASE("clock: the fake clock moves only when told") {
  FakeClock c(1000);
  CHECK(c.now_ms() == 1000);
  c.advance(500);
  CHECK(c.now_ms() == 1500);
  CHECK(c.steady_ms() == 500);
}
