#include "sync/server/county_model_derived.h"

#include <algorithm>

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

Result<std::int64_t> minutes_for(Sql& sql, const std::string& session, const std::string& person,
                                 const SessionFacts& f) {
  if (!f.known || f.confirm.empty()) return 0;
  rules::Confirmation c{f.closed_at_ms, false};
  auto res = sql.text("SELECT resolution FROM cm_roster_lines WHERE confirm = ? AND person = ?",
                      {f.confirm, person});
  c.credit_to_close = res.ok() && *res == "credit_to_close";
  std::vector<rules::RawEvent> raw;
  CHZ_ASSIGN_OR_RETURN(auto evs, sql.query("SELECT uuid, event, at_ms, hlc FROM cm_attendance "
                                           "WHERE session = ? AND person = ?",
                                           {session, person}));
  for (const auto& e : evs) raw.push_back({e.text(0), e.text(1) == "in", e.i64(2), e.text(3)});
  std::vector<rules::Correction> fixes;
  CHZ_ASSIGN_OR_RETURN(auto fx, sql.query("SELECT uuid, corrects, at_ms, is_void, hlc FROM "
                                          "cm_corrections WHERE session = ? AND person = ?",
                                          {session, person}));
  for (const auto& x : fx)
    fixes.push_back({x.text(0), x.text(1), x.text(4),
                     x.i64(3) || x.null(2) ? std::nullopt : std::optional(x.i64(2))});
  return rules::credited_minutes(rules::effective_events(raw, fixes), f.window, c);
}

Status credit(Sql& sql, const std::string& session, const std::string& person,
              const SessionFacts& f) {
  // Without a confirmation nothing was ever credited (confirmations are
  // facts: they never go away), so there is nothing to write or remove.
  if (f.known && f.confirm.empty()) return OkStatus();
  CHZ_ASSIGN_OR_RETURN(std::int64_t m, minutes_for(sql, session, person, f));
  CHZ_TRY(sql.exec("DELETE FROM cm_credit WHERE session = ? AND person = ?", {session, person})
              .status());
  if (m <= 0) return OkStatus();
  return sql
      .exec(
          "INSERT INTO cm_credit(session, person, class, course, site, day, kind, minutes) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {session, person, f.class_id, f.course, f.site, f.date, f.kind, m})
      .status();
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
Status held(Sql& sql, const std::string& number) {
  CHZ_ASSIGN_OR_RETURN(auto cert,
                       sql.query("SELECT c.person, COALESCE(k.level, -1), COALESCE(k.occupation, "
                                 "'') FROM cm_certificates c LEFT JOIN cm_courses k ON "
                                 "k.id = c.course WHERE c.number = ?",
                                 {number}));
  CHZ_TRY(sql.exec("DELETE FROM cm_held WHERE ref = ?", {number}).status());
  if (cert.empty() || cert[0].i64(1) < 0) return OkStatus();
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

}  // namespace

Result<std::int64_t> credit_minutes(Sql& sql, const std::string& session,
                                    const std::string& person) {
  CHZ_ASSIGN_OR_RETURN(SessionFacts f, session_facts(sql, session));
  return minutes_for(sql, session, person, f);
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
  std::string last_session;
  SessionFacts facts;
  for (const auto& [s, p] : d.credit) {  // sorted by session: facts read once per session
    if (s != last_session) {
      CHZ_ASSIGN_OR_RETURN(facts, session_facts(sql, s));
      last_session = s;
      // An unknown or cancelled session credits nobody: one delete for all.
      if (!facts.known) CHZ_TRY(sql.exec("DELETE FROM cm_credit WHERE session = ?", {s}).status());
    }
    if (facts.known) CHZ_TRY(credit(sql, s, p, facts));
  }
  for (const auto& [p, c] : d.passes) CHZ_TRY(pass(sql, p, c));
  for (const auto& n : d.certs) CHZ_TRY(held(sql, n));
  return OkStatus();
}

}  // namespace chz::server::model
