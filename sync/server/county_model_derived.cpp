#include "sync/server/county_model_derived.h"

#include <algorithm>
#include <map>
#include <optional>

#include "common/clock.h"
#include "sync/protocol/training_rules.h"

namespace chz::server::model {
namespace rules = sync::rules;

namespace {

struct SessionFacts {
  bool known = false;
  std::string class_id, date, kind, course, site;
  rules::Window window;
  std::string confirm;  // the latest roster confirmation, "" if none
  std::int64_t closed_at_ms = 0;
};

Result<SessionFacts> session_facts(Sql& sql, const std::string& session) {
  SessionFacts f;
  CHZ_ASSIGN_OR_RETURN(auto rows,
                       sql.query("SELECT s.class, s.date, s.start, s.\"end\", s.kind, "
                                 "COALESCE(c.course, ''), COALESCE(c.site, '') FROM cm_sessions s "
                                 "LEFT JOIN cm_classes c ON c.id = s.class "
                                 "WHERE s.id = ? AND s.deleted = 0",
                                 {session}));
  if (rows.empty()) return f;
  auto w = rules::session_window(rows[0].text(1), rows[0].text(2), rows[0].text(3));
  if (!w.ok()) return f;  // an incomplete session record: nothing to credit yet
  f = {true, rows[0].text(0), rows[0].text(1), rows[0].text(4), rows[0].text(5), rows[0].text(6),
       *w};
  CHZ_ASSIGN_OR_RETURN(auto conf, sql.query("SELECT uuid, at_ms FROM cm_confirms WHERE session = ? "
                                            "ORDER BY hlc DESC, uuid DESC LIMIT 1",
                                            {session}));
  if (!conf.empty()) {
    f.confirm = conf[0].text(0);
    f.closed_at_ms = conf[0].i64(1);
  }
  return f;
}

// What a person's credit in one session is computed from, and the credit
// row written for it before (if any).
struct CreditRow {
  std::string class_id, course, site, day, kind;
  std::int64_t minutes = 0;
};
struct PersonRows {
  std::vector<rules::RawEvent> events;
  std::vector<rules::Correction> fixes;
  bool credit_to_close = false;  // the roster line's resolution
  std::optional<CreditRow> had;
};

// A confirmed session's rows by person, four queries for all of them (or,
// with `person`, for that one): ingest recomputes a session's attendees
// together, so this is read once per session, not once per attendee.
Result<std::map<std::string, PersonRows>> session_rows(Sql& sql, const std::string& session,
                                                       const SessionFacts& f,
                                                       const std::string* person) {
  std::map<std::string, PersonRows> out;
  const std::string one = person ? " AND person = ?" : "";
  auto args = [&](const std::string& key) {
    SqlArgs a{key};
    if (person) a.emplace_back(*person);
    return a;
  };
  CHZ_TRY(sql.each("SELECT person, resolution FROM cm_roster_lines WHERE confirm = ?" + one,
                   args(f.confirm), [&](const SqlRow& r) {
                     out[r.text(0)].credit_to_close = r.text(1) == "credit_to_close";
                     return OkStatus();
                   }));
  CHZ_TRY(sql.each(
      "SELECT person, uuid, event, at_ms, hlc FROM cm_attendance WHERE session = ?" + one,
      args(session), [&](const SqlRow& e) {
        out[e.text(0)].events.push_back({e.text(1), e.text(2) == "in", e.i64(3), e.text(4)});
        return OkStatus();
      }));
  CHZ_TRY(
      sql.each("SELECT person, uuid, corrects, at_ms, is_void, hlc FROM cm_corrections WHERE "
               "session = ?" +
                   one,
               args(session), [&](const SqlRow& x) {
                 out[x.text(0)].fixes.push_back(
                     {x.text(1), x.text(2), x.text(5),
                      x.i64(4) || x.null(3) ? std::nullopt : std::optional(x.i64(3))});
                 return OkStatus();
               }));
  CHZ_TRY(
      sql.each("SELECT person, class, course, site, day, kind, minutes FROM cm_credit WHERE "
               "session = ?" +
                   one,
               args(session), [&](const SqlRow& c) {
                 out[c.text(0)].had =
                     CreditRow{c.text(1), c.text(2), c.text(3), c.text(4), c.text(5), c.i64(6)};
                 return OkStatus();
               }));
  return out;
}

std::int64_t minutes_from(const SessionFacts& f, const PersonRows& r) {
  if (!f.known || f.confirm.empty()) return 0;
  rules::Confirmation c{f.closed_at_ms, r.credit_to_close};
  return rules::credited_minutes(rules::effective_events(r.events, r.fixes), f.window, c);
}

// Adds `delta` minutes to one month's sum in cm_credit_month; a sum that
// reaches 0 goes.
Status add_to_month(Sql& sql, const std::string& person, const std::string& class_id,
                    const std::string& day, const std::string& course, const std::string& site,
                    std::int64_t delta) {
  SqlArgs key{person, class_id, day.substr(0, 7), course, site};
  SqlArgs args{delta};
  args.insert(args.end(), key.begin(), key.end());
  CHZ_ASSIGN_OR_RETURN(std::int64_t changed,
                       sql.exec("UPDATE cm_credit_month SET minutes = minutes + ? WHERE person = ? "
                                "AND class = ? AND month = ? AND course = ? AND site = ?",
                                args));
  if (changed == 0) {
    key.emplace_back(delta);
    return sql
        .exec(
            "INSERT INTO cm_credit_month(person, class, month, course, site, minutes) VALUES "
            "(?, ?, ?, ?, ?, ?)",
            key)
        .status();
  }
  if (delta >= 0) return OkStatus();
  return sql
      .exec(
          "DELETE FROM cm_credit_month WHERE person = ? AND class = ? AND month = ? AND course = "
          "? AND site = ? AND minutes <= 0",
          key)
      .status();
}

// Removes a session's cm_credit rows, taking their minutes out of the
// month sums.
Status remove_session_credit(Sql& sql, const std::string& session) {
  CHZ_ASSIGN_OR_RETURN(auto rows,
                       sql.query("SELECT person, class, day, course, site, minutes FROM cm_credit "
                                 "WHERE session = ?",
                                 {session}));
  for (const auto& r : rows)
    CHZ_TRY(add_to_month(sql, r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), -r.i64(5)));
  if (rows.empty()) return OkStatus();
  return sql.exec("DELETE FROM cm_credit WHERE session = ?", {session}).status();
}

// Brings one (session, person)'s cm_credit row, and the month sum it is
// part of, to what `rows` now credit. An unchanged row is not rewritten; a
// changed amount in the same month is one update and one delta.
Status credit(Sql& sql, const std::string& session, const std::string& person,
              const SessionFacts& f, const PersonRows& rows) {
  std::int64_t m = minutes_from(f, rows);
  const auto& had = rows.had;
  if (had && had->class_id == f.class_id && had->course == f.course && had->site == f.site &&
      had->day == f.date && had->kind == f.kind) {
    if (had->minutes == m) return OkStatus();  // unchanged
    if (m > 0)
      CHZ_TRY(sql.exec("UPDATE cm_credit SET minutes = ? WHERE session = ? AND person = ?",
                       {m, session, person})
                  .status());
    else
      CHZ_TRY(sql.exec("DELETE FROM cm_credit WHERE session = ? AND person = ?", {session, person})
                  .status());
    return add_to_month(sql, person, f.class_id, f.date, f.course, f.site, m - had->minutes);
  }
  if (had) {
    CHZ_TRY(
        add_to_month(sql, person, had->class_id, had->day, had->course, had->site, -had->minutes));
    CHZ_TRY(sql.exec("DELETE FROM cm_credit WHERE session = ? AND person = ?", {session, person})
                .status());
  }
  if (m <= 0) return OkStatus();
  CHZ_TRY(sql.exec("INSERT INTO cm_credit(session, person, class, course, site, day, kind, "
                   "minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   {session, person, f.class_id, f.course, f.site, f.date, f.kind, m})
              .status());
  return add_to_month(sql, person, f.class_id, f.date, f.course, f.site, m);
}

// The first day the person passed both parts of the course; theory from a
// passed attempt, practical from a score at the pass mark that no later
// score corrects.
Status pass(Sql& sql, const std::string& person, const std::string& course) {
  CHZ_TRY(
      sql.exec("DELETE FROM cm_passes WHERE person = ? AND course = ?", {person, course}).status());
  CHZ_ASSIGN_OR_RETURN(
      auto theory,
      sql.query("SELECT day, class, site FROM cm_attempts WHERE person = ? AND course = ? AND "
                "passed = 1 ORDER BY day, uuid LIMIT 1",
                {person, course}));
  if (theory.empty()) return OkStatus();
  CHZ_ASSIGN_OR_RETURN(
      auto practical,
      sql.query("SELECT min(p.day) FROM cm_practicals p JOIN cm_courses c ON c.id = p.course "
                "WHERE p.person = ? AND p.course = ? AND p.score_x100 >= c.practical_pass * 100 "
                "AND NOT EXISTS (SELECT 1 FROM cm_practicals q WHERE q.corrects = p.uuid)",
                {person, course}));
  if (practical.empty() || practical[0].null(0)) return OkStatus();
  std::string day = std::max(theory[0].text(0), practical[0].text(0));
  return sql
      .exec("INSERT INTO cm_passes(person, course, class, site, day) VALUES (?, ?, ?, ?, ?)",
            {person, course, theory[0].text(1), theory[0].text(2), day})
      .status();
}

// A Chizheng certificate is held from the day the county confirmed it, as
// long as the latest decision is a confirmation.
Status held(Sql& sql, const std::string& number, std::set<std::string>* held_people) {
  CHZ_ASSIGN_OR_RETURN(auto cert,
                       sql.query("SELECT c.person, COALESCE(k.level, -1), COALESCE(k.occupation, "
                                 "'') FROM cm_certificates c LEFT JOIN cm_courses k ON "
                                 "k.id = c.course WHERE c.number = ?",
                                 {number}));
  CHZ_ASSIGN_OR_RETURN(auto was, sql.query("SELECT person FROM cm_held WHERE ref = ?", {number}));
  for (const auto& w : was) held_people->insert(w.text(0));
  CHZ_TRY(sql.exec("DELETE FROM cm_held WHERE ref = ?", {number}).status());
  if (cert.empty() || cert[0].i64(1) < 0) return OkStatus();
  held_people->insert(cert[0].text(0));
  CHZ_ASSIGN_OR_RETURN(auto d, sql.query("SELECT status, at_ms FROM cm_cert_decisions WHERE "
                                         "number = ? ORDER BY at_ms DESC, uuid DESC LIMIT 1",
                                         {number}));
  if (d.empty() || d[0].text(0) != "已确认") return OkStatus();
  std::int64_t level = cert[0].i64(1);
  return sql
      .exec(
          "INSERT INTO cm_held(person, ref, source, kind, level, occupation, day) "
          "VALUES (?, ?, 'chizheng', ?, ?, ?, ?)",
          {cert[0].text(0), number, std::string(level == 0 ? "专项" : "等级"), level,
           cert[0].text(2), format_date(china_date(d[0].i64(1)))})
      .status();
}

constexpr const char* kCreditMonthSelect =
    "SELECT person, class, substr(day, 1, 7), course, site, sum(minutes) FROM cm_credit";
constexpr const char* kCreditMonthGroup =
    " GROUP BY person, class, substr(day, 1, 7), course, site";
constexpr const char* kHeldFirstSelect =
    "SELECT person, min(day), min(CASE WHEN kind = '等级' THEN day ELSE NULL END), "
    "min(CASE WHEN kind = '等级' AND level BETWEEN 1 AND 4 THEN day ELSE NULL END), "
    "min(CASE WHEN kind = '等级' AND level BETWEEN 1 AND 3 THEN day ELSE NULL END) FROM cm_held";

Status refresh_held_first(Sql& sql, const std::string& person) {
  CHZ_TRY(sql.exec("DELETE FROM cm_held_first WHERE person = ?", {person}).status());
  return sql
      .exec(std::string("INSERT INTO cm_held_first(person, any_day, grade_day, mid_high_day, "
                        "high_day) ") +
                kHeldFirstSelect + " WHERE person = ? GROUP BY person",
            {person})
      .status();
}

}  // namespace

Result<std::vector<std::string>> sorted_rows(Sql& sql, const std::string& q) {
  std::vector<std::string> out;
  CHZ_TRY(sql.each(q, {}, [&](const SqlRow& r) {
    out.push_back(r.joined("|", "∅"));
    return OkStatus();
  }));
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<std::string>> recount_credit_month(Sql& sql) {
  return sorted_rows(sql, std::string(kCreditMonthSelect) + kCreditMonthGroup);
}
Result<std::vector<std::string>> recount_held_first(Sql& sql) {
  return sorted_rows(sql, std::string(kHeldFirstSelect) + " GROUP BY person");
}

Result<std::int64_t> credit_minutes(Sql& sql, const std::string& session,
                                    const std::string& person) {
  CHZ_ASSIGN_OR_RETURN(SessionFacts f, session_facts(sql, session));
  if (!f.known || f.confirm.empty()) return 0;
  CHZ_ASSIGN_OR_RETURN(auto rows, session_rows(sql, session, f, &person));
  return minutes_from(f, rows[person]);
}

Status recompute(Sql& sql, Dirty& d) {
  for (const auto& c : d.classes) {
    CHZ_ASSIGN_OR_RETURN(auto sessions,
                         sql.query("SELECT id FROM cm_sessions WHERE class = ?", {c}));
    for (const auto& s : sessions) d.sessions.insert(s.text(0));
    CHZ_TRY(sql.exec("UPDATE cm_attempts SET site = COALESCE((SELECT site FROM cm_classes WHERE "
                     "id = ?), '') WHERE class = ?",
                     {c, c})
                .status());
    CHZ_ASSIGN_OR_RETURN(auto people, sql.query("SELECT DISTINCT person, course FROM cm_attempts "
                                                "WHERE class = ?",
                                                {c}));
    for (const auto& p : people) d.passes.insert({p.text(0), p.text(1)});
  }
  for (const auto& c : d.courses) {
    CHZ_ASSIGN_OR_RETURN(auto people, sql.query("SELECT DISTINCT person FROM cm_attempts "
                                                "WHERE course = ?",
                                                {c}));
    for (const auto& p : people) d.passes.insert({p.text(0), c});
    CHZ_ASSIGN_OR_RETURN(auto certs,
                         sql.query("SELECT number FROM cm_certificates WHERE course = ?", {c}));
    for (const auto& n : certs) d.certs.insert(n.text(0));
  }
  for (const auto& s : d.sessions) {
    CHZ_ASSIGN_OR_RETURN(auto people, sql.query("SELECT DISTINCT person FROM cm_attendance "
                                                "WHERE session = ?",
                                                {s}));
    for (const auto& p : people) d.credit.insert({s, p.text(0)});
  }
  // d.credit is sorted by session: each session's facts and rows are read
  // once for all its dirty attendees.
  for (auto it = d.credit.begin(); it != d.credit.end();) {
    const std::string s = it->first;
    auto end = std::find_if(it, d.credit.end(), [&](const auto& k) { return k.first != s; });
    CHZ_ASSIGN_OR_RETURN(SessionFacts facts, session_facts(sql, s));
    if (!facts.known) {
      // An unknown or cancelled session credits nobody: one delete for all.
      CHZ_TRY(remove_session_credit(sql, s));
    } else if (!facts.confirm.empty()) {
      // Without a confirmation nothing was ever credited (confirmations are
      // facts: they never go away), so there is nothing to write or remove.
      bool one = std::next(it) == end;
      CHZ_ASSIGN_OR_RETURN(auto rows, session_rows(sql, s, facts, one ? &it->second : nullptr));
      for (auto p = it; p != end; ++p) CHZ_TRY(credit(sql, s, p->second, facts, rows[p->second]));
    }
    it = end;
  }
  for (const auto& [p, c] : d.passes) CHZ_TRY(pass(sql, p, c));
  for (const auto& n : d.certs) CHZ_TRY(held(sql, n, &d.held_people));
  for (const auto& p : d.held_people) CHZ_TRY(refresh_held_first(sql, p));
  return OkStatus();
}

}  // namespace chz::server::model
