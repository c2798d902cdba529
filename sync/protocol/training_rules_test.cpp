#include "sync/protocol/training_rules.h"

#include <doctest/doctest.h>

#include "common/clock.h"

namespace chz::sync::rules {
namespace {
constexpr std::int64_t kMin = 60'000;
// 2026-03-02 09:00 China time.
const std::int64_t kNine = china_midnight_ms({2026, 3, 2}) + 9 * 60 * kMin;
const Window kMorning{kNine, kNine + 120 * kMin};  // 09:00-11:00

RawEvent ev(const char* uuid, bool in, std::int64_t minute, const char* hlc = "h") {
  return {uuid, in, kNine + minute * kMin, hlc};
}
}  // namespace

TEST_CASE("training rules: a later stamp replaces a field; an equal or older one does not") {
  std::string stored = "0000000000001-0000/kiosk-a";
  CHECK(replaces("0000000000002-0000/kiosk-a", &stored));
  CHECK_FALSE(replaces(stored, &stored));
  CHECK_FALSE(replaces("0000000000000-0009/kiosk-z", &stored));
  CHECK(replaces("anything", nullptr));
  // Equal HLCs from two devices: the origin breaks the tie, the same way everywhere.
  std::string b = "0000000000001-0000/kiosk-b";
  CHECK(replaces(b, &stored));
  CHECK_FALSE(replaces(stored, &b));
}

TEST_CASE("training rules: the registry's name beats a kiosk-typed one whatever the stamps") {
  CHECK(name_rule("registry", "kiosk") == NameRule::kKeepStored);
  CHECK(name_rule("kiosk", "registry") == NameRule::kTakeIncoming);
  CHECK(name_rule("", "registry") == NameRule::kTakeIncoming);
  CHECK(name_rule("registry", "registry") == NameRule::kByStamp);
  CHECK(name_rule("kiosk", "kiosk") == NameRule::kByStamp);
}

TEST_CASE("training rules: the newest correction down a chain decides, a void drops the event") {
  std::vector<RawEvent> raw = {ev("in1", true, 0), ev("out1", false, 50)};
  // out1 corrected to 60, then that correction corrected to 90 (newer HLC).
  std::vector<Correction> fixes = {{"c1", "out1", "h2", kNine + 60 * kMin},
                                   {"c2", "c1", "h3", kNine + 90 * kMin},
                                   {"cx", "someone-else", "h9", std::nullopt}};
  auto e = effective_events(raw, fixes);
  REQUIRE(e.size() == 2);
  CHECK(e[1].uuid == "out1");
  CHECK(e[1].at_ms == kNine + 90 * kMin);
  CHECK(e[1].corrected);
  CHECK_FALSE(e[0].corrected);
  // An older correction arriving last changes nothing: HLC decides, not arrival.
  fixes.push_back({"c0", "out1", "h1", kNine + 10 * kMin});
  CHECK(effective_events(raw, fixes)[1].at_ms == kNine + 90 * kMin);
  // A newer void anywhere down the chain removes the event.
  fixes.push_back({"v", "c2", "h4", std::nullopt});
  e = effective_events(raw, fixes);
  REQUIRE(e.size() == 1);
  CHECK(e[0].uuid == "in1");
}

TEST_CASE("training rules: credited minutes are 0 until the roster is confirmed") {
  auto e = effective_events({ev("a", true, 0), ev("b", false, 60)}, {});
  CHECK(credited_minutes(e, kMorning, std::nullopt) == 0);
  CHECK(credited_minutes(e, kMorning, Confirmation{kNine + 120 * kMin, false}) == 60);
}

TEST_CASE(
    "training rules: spans are clipped to the window; a second check-in while in is ignored") {
  // In 30 min early, out at 30; in at 50, out 100; in at 110, again at
  // 115 (ignored), and no check-out.
  auto e = effective_events({ev("a", true, -30), ev("b", false, 30), ev("c", true, 50),
                             ev("d", false, 100), ev("e", true, 110), ev("f", true, 115)},
                            {});
  Confirmation close{kNine + 150 * kMin, false};
  CHECK(credited_minutes(e, kMorning, close) == 30 + 50);
  // Credited to the close (past the window's end: clipped at 11:00).
  close.credit_to_close = true;
  CHECK(credited_minutes(e, kMorning, close) == 30 + 50 + 10);
  // A check-out with nobody in counts nothing.
  auto stray = effective_events({ev("x", false, 10), ev("y", true, 20), ev("z", false, 40)}, {});
  CHECK(credited_minutes(stray, kMorning, Confirmation{kNine + 120 * kMin, false}) == 20);
}

TEST_CASE("training rules: whole 学时 round down, minutes per 学时 are 20 to 120") {
  CHECK(whole_hours(89, 45) == 1);
  CHECK(whole_hours(90, 45) == 2);
  CHECK(whole_hours(0, 45) == 0);
  CHECK(valid_minutes_per_hour(20));
  CHECK(valid_minutes_per_hour(120));
  CHECK_FALSE(valid_minutes_per_hour(19));
  CHECK_FALSE(valid_minutes_per_hour(121));
}

TEST_CASE("training rules: a session window is China time and must end after it starts") {
  auto w = session_window("2026-03-01", "23:30", "23:59");
  REQUIRE(w.ok());
  CHECK(china_date(w->start_ms) == CivilDate{2026, 3, 1});
  CHECK(china_minute_of_day(w->start_ms) == 23 * 60 + 30);
  CHECK(w->end_ms - w->start_ms == 29 * kMin);
  CHECK_FALSE(session_window("2026-03-01", "10:00", "09:00").ok());
  CHECK_FALSE(session_window("2026-02-30", "09:00", "10:00").ok());
  CHECK_FALSE(session_window("2026-03-01", "9:00", "10:00").ok());
  CHECK(*parse_minute("09:05") == 545);
  CHECK_FALSE(parse_minute("24:00").ok());
}

TEST_CASE(
    "training rules: only the county's own county_setting sets minutes per 学时, in 20..120") {
  auto setting = [](const char* origin, const char* body, const char* kind = "county_setting") {
    Record r;
    r.meta.origin_device = origin;
    r.kind = kind;
    r.body = body;
    return r;
  };
  CHECK(minutes_per_hour_of(setting("county", R"({"key":"hours.minutes_per_hour","value":40})")) ==
        40);
  CHECK(minutes_per_hour_of(setting("county", R"({"key":"hours.minutes_per_hour","value":20})")) ==
        20);
  CHECK(minutes_per_hour_of(setting("county", R"({"key":"hours.minutes_per_hour","value":120})")) ==
        120);
  // A kiosk cannot say it, nor a county's record forwarded to a city.
  CHECK_FALSE(
      minutes_per_hour_of(setting("kiosk-a", R"({"key":"hours.minutes_per_hour","value":40})")));
  CHECK_FALSE(minutes_per_hour_of(
      setting("county-140521", R"({"key":"hours.minutes_per_hour","value":40})")));
  // Out of range, not an integer, another key, another kind, not JSON.
  CHECK_FALSE(
      minutes_per_hour_of(setting("county", R"({"key":"hours.minutes_per_hour","value":19})")));
  CHECK_FALSE(
      minutes_per_hour_of(setting("county", R"({"key":"hours.minutes_per_hour","value":121})")));
  CHECK_FALSE(
      minutes_per_hour_of(setting("county", R"({"key":"hours.minutes_per_hour","value":"40"})")));
  CHECK_FALSE(minutes_per_hour_of(setting("county", R"({"key":"exam.minutes","value":40})")));
  CHECK_FALSE(minutes_per_hour_of(
      setting("county", R"({"key":"hours.minutes_per_hour","value":40})", "attendance")));
  CHECK_FALSE(minutes_per_hour_of(setting("county", R"([40])")));
  CHECK_FALSE(minutes_per_hour_of(setting("county", "not json")));
}

}  // namespace chz::sync::rules
