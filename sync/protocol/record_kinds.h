// The record kinds of the training domain and what their bodies hold. Both
// ends read this: the kiosk writes and applies records, the county server
// cuts statistics by them. Bodies are canonical JSON objects (keys sorted,
// no spaces, integers only). Times are UTC ms; civil dates "YYYY-MM-DD" and
// clock times "HH:MM" are China time (UTC+8).
//
// Two families:
//  * Mutable records carry {"entity": "<kind>:<id>", field: value, ...}. Only
//    the fields present change; each field merges last-writer-wins by the
//    record's HLC. A tombstone {"entity": ...} deletes the entity.
//  * Facts are append-only and applied once by uuid; a correction is a new
//    fact naming the record it corrects.
#pragma once

#include <string>
#include <string_view>

namespace chz::sync::kinds {

// ---- mutable records ----
// person: entity "person:<person_key>"; fields id_number, name, name_source
// ("registry" | "kiosk": the registry's name wins over a kiosk-typed one),
// township, village, phone (digits or ""), and one field per key group,
// "group:<name>": 1 (member) or 0 (removed), so groups merge as an
// add/remove set by HLC.
inline constexpr std::string_view kPerson = "person";
// staff: entity "staff:<id>"; fields name, role ("trainer" | "assessor" |
// "site_admin"), site, active (1|0), pin ("pbkdf2-sha256$<iter>$<salt hex>$
// <hash hex>" or ""), setup_code (same format: hash of the county's one-time
// code for the first PIN or a reset; "" once used).
inline constexpr std::string_view kStaff = "staff";
// course: entity "course:<id>"; fields name, occupation, occupation_code,
// level (5..1, 0 = 专项职业能力), theory_hours, practical_hours,
// theory_pass, practical_pass (of 100).
inline constexpr std::string_view kCourse = "course";
// class: entity "class:<id>"; fields course, site, name, capacity,
// trainers (comma-separated staff ids).
inline constexpr std::string_view kClass = "class";
// session (课次): entity "session:<id>"; fields class, date, start, end,
// kind ("theory" | "practical").
inline constexpr std::string_view kSession = "session";
// enrolment: entity "enrolment:<class id>:<person_key>"; fields class,
// person, active (1|0).
inline constexpr std::string_view kEnrolment = "enrolment";
// Deletes the mutable record named by {"entity": ...}.
inline constexpr std::string_view kTombstone = "tombstone";

// ---- facts ----
// session_open: {"session", "by" (staff id), "at_ms"}.
inline constexpr std::string_view kSessionOpen = "session_open";
// attendance: {"session", "person", "event": "in" | "out", "at_ms",
// "by": "self" | "staff:<id>"}.
inline constexpr std::string_view kAttendance = "attendance";
// attendance_correction: {"corrects": <uuid of an attendance record or of
// another correction>, "at_ms" (the corrected time) or "void": 1 (the event
// did not happen), "by" (staff id), "reason"}.
inline constexpr std::string_view kAttendanceCorrection = "attendance_correction";
// roster_confirm (the trainer closes the session and confirms its roster;
// only confirmed attendance counts): {"session", "by", "at_ms",
// "present": [person keys], "credit_to_close": [person keys whose missing
// check-out is credited to the close], "no_checkout": [person keys whose
// missing check-out earns nothing]}.
inline constexpr std::string_view kRosterConfirm = "roster_confirm";

// county_setting (the county's word on a setting every kiosk of the county
// applies): {"key", "value"}. Only the county's own records (origin
// "county") count; per key the newest by field stamp wins, at both ends
// (training_rules.h: minutes_per_hour_of). Keys: "hours.minutes_per_hour"
// (value 20..120, minutes in one 学时).
inline constexpr std::string_view kCountySetting = "county_setting";
inline constexpr std::string_view kMinutesPerHourKey = "hours.minutes_per_hour";

// The ten key employment groups (十类重点就业群体), in the programme's
// order: the values of a person's "group:<name>" fields.
inline constexpr std::string_view kKeyGroups[] = {
    "贫困家庭子女",       "贫困劳动力",   "高校未就业毕业生", "毕业年度高校毕业生", "两后生",
    "农村转移就业劳动者", "下岗失业人员", "转岗转业职工",     "退役军人",           "就业困难人员"};

// True for append-only kinds: every kind that is neither mutable nor a
// tombstone (so other areas' facts, e.g. exam answers, need no entry here).
bool is_fact(std::string_view kind);
// True for the mutable kinds above (tombstone excluded).
bool is_mutable(std::string_view kind);
// "person" for "person:abc...", "" if there is no colon.
std::string_view entity_kind(std::string_view entity);
// "abc..." for "person:abc...".
std::string_view entity_id(std::string_view entity);
std::string entity(std::string_view kind, std::string_view id);

// Staff secrets (PINs, one-time setup codes) as stored in a staff record:
// "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>", salted PBKDF2-HMAC-
// SHA256 with a fresh 16-byte salt. The county server makes setup codes
// with the same function.
inline constexpr int kStaffSecretIterations = 600'000;
std::string hash_staff_secret(std::string_view secret, int iterations = kStaffSecretIterations);
// True iff `stored` (the format above) matches `secret`; constant-time.
bool verify_staff_secret(std::string_view stored, std::string_view secret);

}  // namespace chz::sync::kinds
