// Time. Instants are UTC milliseconds since the epoch (int64). Civil dates
// (session days, ages, certificate dates, month cuts) use fixed UTC+8:
// China has one time zone and no daylight saving, so no tz database.
// Clocks are passed in (never read globally) so tests control time.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace chz {

inline constexpr std::int64_t kChinaOffsetMs = 8LL * 3600 * 1000;
inline constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall clock, UTC ms.
  virtual std::int64_t now_ms() const = 0;
  // Monotonic ms, for durations only.
  virtual std::int64_t steady_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t now_ms() const override;
  std::int64_t steady_ms() const override;
};

// A clock tests move by hand.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t now_ms = 1'790'000'000'000) : now_(now_ms), steady_(0) {}
  std::int64_t now_ms() const override { return now_; }
  std::int64_t steady_ms() const override { return steady_; }
  void set(std::int64_t now_ms) { now_ = now_ms; }
  void advance(std::int64_t ms) {
    now_ += ms;
    steady_ += ms;
  }

 private:
  std::int64_t now_;
  std::int64_t steady_;
};

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const CivilDate&) const = default;
};

bool is_leap_year(int y);
int days_in_month(int y, int m);
bool is_valid_date(const CivilDate& d);
// Days since 1970-01-01 for a proleptic Gregorian date, and back.
std::int64_t days_from_civil(const CivilDate& d);
CivilDate civil_from_days(std::int64_t days);

// The civil date in China (UTC+8) at instant `utc_ms`.
CivilDate china_date(std::int64_t utc_ms);
// The instant of 00:00 China time on `d`.
std::int64_t china_midnight_ms(const CivilDate& d);
// Minutes since China midnight at instant `utc_ms` (0..1439).
int china_minute_of_day(std::int64_t utc_ms);
// Whole years of age on `on` for someone born on `birth`.
int age_on(const CivilDate& birth, const CivilDate& on);

// "2026-11-23"; parse accepts the same and refuses impossible dates.
std::string format_date(const CivilDate& d);
Result<CivilDate> parse_date(std::string_view s);
// "2026-11-23 14:05" in China time.
std::string format_china_time(std::int64_t utc_ms);

}  // namespace chz
