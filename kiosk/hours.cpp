#include "kiosk/hours.h"

#include <algorithm>
#include <map>
#include <set>

#include "kiosk/kiosk_time.h"
#include "kiosk/people.h"
#include "sync/protocol/training_rules.h"

namespace chz::kiosk {

namespace {

Result<std::vector<std::string>> texts(Db& db, std::string_view sql, const std::string& a,
                                       const std::string& b = {}) {
  CHZ_ASSIGN_OR_RETURN(Stmt st, db.prepare(sql));
  st.bind(1, a);
  if (!b.empty()) st.bind(2, b);
  std::vector<std::string> out;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    out.push_back(st.text(0));
  }
  return out;
}

}  // namespace

Result<int> minutes_per_hour(Db& db) {
  auto v = db.query_text("SELECT value FROM settings WHERE key = 'hours.minutes_per_hour'");
  if (!v.ok())
    return v.status().code() == Code::kNotFound ? Result<int>(kDefaultMinutesPerHour) : v.status();
  int m = std::atoi(v->c_str());
  return sync::rules::valid_minutes_per_hour(m) ? m : kDefaultMinutesPerHour;
}

Status set_minutes_per_hour(Db& db, int minutes) {
  if (!sync::rules::valid_minutes_per_hour(minutes))
    return Status(Code::kInvalidArgument, "one 学时 is 20 to 120 minutes",
                  "hours.minutes_per_hour");
  return db.run("INSERT OR REPLACE INTO settings(key, value) VALUES ('hours.minutes_per_hour', ?)",
                std::to_string(minutes));
}

Result<std::vector<AttendanceEvent>> effective_events(Db& db, const std::string& session,
                                                      const std::string& person) {
  namespace rules = sync::rules;
  std::vector<rules::RawEvent> raw;
  CHZ_ASSIGN_OR_RETURN(Stmt st, db.prepare("SELECT uuid, event, at_ms, hlc FROM attendance "
                                           "WHERE session = ? AND person = ?"));
  st.bind(1, session).bind(2, person);
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    raw.push_back({st.text(0), st.text(1) == "in", st.int64(2), st.text(3)});
  }
  // Every correction down the chains of these events.
  std::vector<rules::Correction> fixes;
  CHZ_ASSIGN_OR_RETURN(Stmt c, db.prepare(R"sql(
    WITH RECURSIVE chain(uuid) AS (
      SELECT uuid FROM attendance WHERE session = ?1 AND person = ?2
      UNION
      SELECT c.uuid FROM attendance_corrections c JOIN chain ON c.corrects = chain.uuid)
    SELECT c.uuid, c.corrects, c.at_ms, c.void, c.hlc FROM chain
      JOIN attendance_corrections c ON c.uuid = chain.uuid)sql"));
  c.bind(1, session).bind(2, person);
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, c.step());
    if (!row) break;
    fixes.push_back({c.text(0), c.text(1), c.text(4), c.int64(3) ? std::nullopt : c.opt_int64(2)});
  }
  std::vector<AttendanceEvent> out;
  for (auto& e : rules::effective_events(raw, fixes))
    out.push_back({std::move(e.uuid), e.in, e.at_ms, e.corrected});
  return out;
}

Result<int> credited_minutes(Db& db, const SessionInfo& s, const std::string& person) {
  CHZ_ASSIGN_OR_RETURN(Stmt cf,
                       db.prepare("SELECT uuid, at_ms FROM roster_confirms WHERE session = ? "
                                  "ORDER BY hlc DESC LIMIT 1"));
  cf.bind(1, s.id);
  CHZ_ASSIGN_OR_RETURN(bool confirmed, cf.step());
  if (!confirmed) return 0;
  sync::rules::Confirmation conf{cf.int64(1), false};
  auto res = db.query_text("SELECT resolution FROM roster_lines WHERE confirm = ? AND person = ?",
                           cf.text(0), person);
  conf.credit_to_close = res.ok() && *res == "credit_to_close";
  CHZ_ASSIGN_OR_RETURN(auto evs, effective_events(db, s.id, person));
  std::vector<sync::rules::Event> events;
  for (const auto& e : evs) events.push_back({e.uuid, e.in, e.at_ms, e.corrected});
  return static_cast<int>(sync::rules::credited_minutes(events, {s.start_ms, s.end_ms}, conf));
}

Result<CourseHours> hours_for_course(Db& db, const std::string& person, const std::string& course) {
  CHZ_ASSIGN_OR_RETURN(CourseInfo c, get_course(db, course));
  CourseHours h;
  h.course = c.id;
  h.course_name = c.name;
  CHZ_ASSIGN_OR_RETURN(h.minutes_per_hour, minutes_per_hour(db));
  h.theory_needed_min = c.theory_hours * h.minutes_per_hour;
  h.practical_needed_min = c.practical_hours * h.minutes_per_hour;
  CHZ_ASSIGN_OR_RETURN(auto sessions,
                       texts(db,
                             "SELECT DISTINCT a.session FROM attendance a "
                             "JOIN sessions s ON s.id = a.session JOIN classes c ON c.id = s.class "
                             "WHERE a.person = ? AND c.course = ? AND s.deleted = 0",
                             person, course));
  for (const auto& sid : sessions) {
    CHZ_ASSIGN_OR_RETURN(SessionInfo s, get_session(db, sid));
    CHZ_ASSIGN_OR_RETURN(int m, credited_minutes(db, s, person));
    (s.kind == SessionKind::kTheory ? h.theory_done_min : h.practical_done_min) += m;
    CHZ_ASSIGN_OR_RETURN(
        std::int64_t flagged,
        db.query_int(
            "SELECT count(*) FROM roster_lines WHERE person = ? AND resolution <> 'present' AND "
            "confirm = "
            "(SELECT uuid FROM roster_confirms WHERE session = ? ORDER BY hlc DESC LIMIT 1)",
            person, sid));
    h.missing_checkouts += static_cast<int>(flagged);
  }
  return h;
}

Result<std::vector<CourseHours>> hours_for_person(Db& db, const std::string& person) {
  CHZ_ASSIGN_OR_RETURN(auto courses, texts(db, R"sql(
      SELECT c.course FROM enrolments e JOIN classes c ON c.id = e.class
        WHERE e.person = ?1 AND e.active = 1 AND e.deleted = 0
      UNION
      SELECT c.course FROM attendance a JOIN sessions s ON s.id = a.session JOIN classes c ON c.id = s.class
        WHERE a.person = ?1)sql",
                                           person));
  std::vector<CourseHours> out;
  for (const auto& c : courses) {
    auto h = hours_for_course(db, person, c);
    if (!h.ok() && h.status().code() == Code::kNotFound) continue;  // course not installed here
    if (!h.ok()) return h.status();
    out.push_back(std::move(h).value());
  }
  return out;
}

Result<bool> exam_eligible(Db& db, const std::string& person, const std::string& course) {
  CHZ_ASSIGN_OR_RETURN(CourseHours h, hours_for_course(db, person, course));
  return h.met();
}

Result<std::vector<RosterLine>> class_roster(Db& db, const Clock& clock,
                                             const std::string& class_id) {
  CHZ_ASSIGN_OR_RETURN(ClassInfo c, get_class(db, class_id));
  CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
  CHZ_ASSIGN_OR_RETURN(auto sessions, sessions_of_class(db, class_id));
  const SessionInfo* today = nullptr;
  CivilDate d = china_date(now);
  for (const auto& s : sessions) {
    if (s.date != d) continue;
    if (!today || s.start_ms - kAttendanceLookaheadMs <= now) today = &s;
  }
  CHZ_ASSIGN_OR_RETURN(auto people, enrolled_people(db, class_id));
  std::vector<RosterLine> out;
  for (const auto& key : people) {
    RosterLine line;
    line.person = key;
    if (auto p = get_person(db, key); p.ok()) {
      line.name = p->name;
      line.masked_id = p->masked_id();
    }
    if (today) {
      CHZ_ASSIGN_OR_RETURN(auto evs, effective_events(db, today->id, key));
      if (!evs.empty()) line.today = evs.back().in ? Presence::kIn : Presence::kOut;
    }
    auto h = hours_for_course(db, key, c.course);
    if (h.ok()) line.hours = std::move(h).value();
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace chz::kiosk
