// The training rules both ends apply to the same records, as functions of
// values: the kiosk (kiosk/projection, kiosk/hours) and the county's read
// model (sync/server/county_model) call these and nothing else, so a kiosk
// and the county that hold the same records agree on every person's hours.
//
//  * Mutable fields merge last-writer-wins by a stamp "<hlc>/<origin>"
//    (ties between devices with equal HLCs break by origin); the
//    registry's name beats a kiosk-typed one whatever the stamps.
//  * Attendance: the newest correction (by HLC) anywhere down an event's
//    chain of corrections decides its time, or voids it.
//  * Credited minutes of a session: the overlap of each [in, out] span
//    with the session's window, overlaps merged, counted only once its
//    roster is confirmed; an open span is credited to the close only when
//    the roster says credit_to_close.
//  * 1 学时 = N minutes (45 unless the county's county_setting says
//    another value in 20..120: docs/programme-rules.md, Hours).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sync/protocol/record.h"

namespace chz::sync::rules {

// ---- hours ----
inline constexpr int kDefaultMinutesPerHour = 45;
inline constexpr int kMinMinutesPerHour = 20;
inline constexpr int kMaxMinutesPerHour = 120;
bool valid_minutes_per_hour(int minutes);
// Whole 学时 in `minutes` (rounded down). REQUIRES: valid per_hour.
std::int64_t whole_hours(std::int64_t minutes, int per_hour);
// The minutes per 学时 a county_setting record sets (record_kinds.h), or
// nullopt if it is not one: another key, not from the county itself, a
// body that is not an object with an integer value, or a value outside
// 20..120. Both ends keep the newest by field_stamp (below).
std::optional<int> minutes_per_hour_of(const Record& r);

// ---- last writer wins ----
// The stamp a record's fields merge by: "<hlc text>/<origin device>".
std::string field_stamp(const Record& r);
// True iff a field stamped `incoming` replaces one stamped `stored`
// (nullptr: the field was never written).
bool replaces(std::string_view incoming, const std::string* stored);
// The person's name and name_source fields: the registry's name wins.
enum class NameRule {
  kByStamp,       // same source on both sides: last writer wins
  kKeepStored,    // the stored name came from the registry, this one not
  kTakeIncoming,  // the registry's name replaces a kiosk-typed one
};
NameRule name_rule(std::string_view stored_source, std::string_view incoming_source);

// ---- attendance ----
struct RawEvent {
  std::string uuid;
  bool in = true;
  std::int64_t at_ms = 0;
  std::string hlc;  // the record's HLC text: orders events at the same time
};
struct Correction {
  std::string uuid, corrects, hlc;
  std::optional<std::int64_t> at_ms;  // nullopt: the event is voided
};
struct Event {
  std::string uuid;
  bool in = true;
  std::int64_t at_ms = 0;
  bool corrected = false;
};
// The effective events of one person in one session, by time: each raw
// event's time replaced by the newest correction down its chain, voided
// ones dropped. Corrections of other events are ignored.
std::vector<Event> effective_events(const std::vector<RawEvent>& raw,
                                    const std::vector<Correction>& fixes);

struct Window {
  std::int64_t start_ms = 0, end_ms = 0;
};
// "HH:MM" (00:00..23:59) → minutes since midnight; kInvalidArgument otherwise.
Result<int> parse_minute(std::string_view hhmm);
// A session's window as instants: China-time date "YYYY-MM-DD" and
// "HH:MM" start and end. kInvalidArgument if a part is malformed or the
// end is not after the start.
Result<Window> session_window(std::string_view date, std::string_view start, std::string_view end);

// What a confirmed roster says about one person's session.
struct Confirmation {
  std::int64_t closed_at_ms = 0;
  bool credit_to_close = false;  // an open span counts until the close
};
// Minutes credited for `events` in `w`: 0 without a confirmation.
std::int64_t credited_minutes(const std::vector<Event>& events, const Window& w,
                              const std::optional<Confirmation>& confirmed);

}  // namespace chz::sync::rules
