// The bureau's own records, listed and changed from the command line
// (`chizheng-server list …`, `deactivate-staff`, `reactivate-staff`,
// `unenrol`, `cancel-session`, `cancel-class`, `correct-person`).
//
// Listings read the county read model (county_model.h) in one transaction
// and return JSON arrays; ID numbers and phones are masked (mask_id).
//
// Every change is a county record on the feed of the site it belongs to,
// with the kinds and fields a kiosk writes itself (record_kinds.h): staff
// `active`: 0, enrolment `active`: 0, a tombstone for a session or class, a
// person's changed fields. So a kiosk applies it at its next sync exactly
// as if a trainer had made it there, and the county's figures follow at
// once. A change that would lose a record already stored is refused with a
// keyed status and writes nothing:
//  - a session is cancelled only while it lies in the future (China time)
//    and no kiosk has sent a record of it: a session today or earlier may
//    be under way on a kiosk that has not synced, and a tombstone would
//    hide its attendance ("admin.session_started", "admin.session_past");
//  - a class is cancelled only if every session of it can be;
//  - unenrolling keeps the person's credited 学时 in the class: credit
//    comes from confirmed rosters, not from the enrolment.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "sync/server/county.h"
#include "sync/server/store.h"

namespace chz::server::admin {

enum class Listing { kSites, kDevices, kStaff, kClasses, kSessions, kPeople };
// "sites", "devices", "staff", "classes", "sessions", "people";
// kInvalidArgument "admin.listing" naming the choices otherwise.
Result<Listing> listing_named(std::string_view name);

struct ListFilter {
  std::string site;      // staff, classes, devices, people: only this site's
  std::string class_id;  // sessions, people: only this class's
  std::size_t limit = 1000;
};
// One JSON object per row, in id order:
//  sites    {id, name, township, devices, last_seen_ms, last_records_ms}
//  devices  {id, site, number, revoked, enrolled_ms, last_seen_ms,
//            last_records_ms, records}
// (last_seen_ms: the last signed request, a sync that sent nothing too;
// last_records_ms: when records last arrived, by network or USB; 0: never.)
//  staff    {id, name, role, site, active}
//  classes  {id, name, course, site, capacity, trainers, enrolled, sessions,
//            confirmed_sessions}
//  sessions {id, class, date, start, end, kind, attendance, confirmed}
//  people   {key, name, id_masked, gender, birth, township, village,
//            phone_masked, classes}
Result<nlohmann::json> list(ServerStore& s, Listing what, const ListFilter& f);

// Sets a staff member's `active` flag: an inactive one cannot sign in at
// any kiosk of the site. kNotFound "admin.staff_unknown". Writes nothing
// (and returns false) when the flag already has that value.
Result<bool> set_staff_active(ServerStore& s, const std::string& staff, bool active,
                              std::int64_t now_ms);

// Ends the person's enrolment in the class (their kiosk roster drops them).
// kNotFound "admin.not_enrolled" if there is no active enrolment.
Status unenrol(ServerStore& s, const CountyKeys& k, const std::string& class_id,
               std::string_view id_number, std::int64_t now_ms);

// "Today" for the rules above is the China-time day of `now_ms`.
// kNotFound "admin.session_unknown".
Status cancel_session(ServerStore& s, const std::string& session, std::int64_t now_ms);
// Tombstones the class and every session of it; returns how many sessions.
// kNotFound "admin.class_unknown"; a session that may not be cancelled
// refuses the whole class, naming the session.
Result<int> cancel_class(ServerStore& s, const std::string& class_id, std::int64_t now_ms);

// A correction of a person's record (a typo in a name, a move, a phone,
// key groups). Fields left empty keep their value. `leave_day` ends the
// person's registry membership from that day (moved away, died), so they
// leave the 持证率 denominator from then on and earlier periods keep them.
struct PersonCorrection {
  std::optional<std::string> name, township, village, phone;
  std::vector<std::string> add_groups, remove_groups;
  std::string leave_day;
};
// Writes the person record to the feed of every site the person is
// enrolled at (so those kiosks receive it) and, for a person known only
// to the registry, to the registry's feed. Returns the sites written.
// kNotFound "person.unknown"; kInvalidArgument for a bad ID number, a key
// group outside the ten ("person.group"), a phone that is not digits
// ("person.phone"), an empty name ("person.name") or a bad day.
Result<std::vector<std::string>> correct_person(ServerStore& s, const CountyKeys& k,
                                                std::string_view id_number,
                                                const PersonCorrection& c, std::int64_t now_ms);

// The county's minutes per 学时 (20..120): a county_setting record
// (record_kinds.h) on every site's feed, so kiosks convert minutes to 学时
// and decide exam eligibility as the county does, and every figure in 学时
// divides by it from then on (minutes are what is stored, so nothing is
// recounted). Writes nothing and returns false when the county already set
// that value. kInvalidArgument "hours.minutes_per_hour" outside 20..120.
Result<bool> set_minutes_per_hour(ServerStore& s, int minutes, std::int64_t now_ms);
// The county's settings again, on the feed of a site added after they were
// set; nothing if the county never set one.
Status send_settings(ServerStore& s, const std::string& site, std::int64_t now_ms);
// What the county set, or nullopt if it never did (45 applies).
Result<std::optional<int>> county_minutes_per_hour(ServerStore& s);

}  // namespace chz::server::admin
