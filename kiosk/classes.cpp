#include "kiosk/classes.h"

#include <fmt/format.h>

#include "common/uuid.h"
#include "kiosk/domain_write.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/people.h"
#include "sync/protocol/record_kinds.h"

namespace chz::kiosk {

namespace k = sync::kinds;
using nlohmann::json;

namespace {

std::vector<std::string> split_ids(const std::string& s) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < s.size()) {
    size_t c = s.find(',', at);
    if (c == std::string::npos) c = s.size();
    if (c > at) out.push_back(s.substr(at, c - at));
    at = c + 1;
  }
  return out;
}

std::string join_ids(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

Result<std::vector<std::string>> texts(Stmt& st) {
  std::vector<std::string> out;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    out.push_back(st.text(0));
  }
  return out;
}

}  // namespace

std::string format_minute(int m) {
  return fmt::format("{:02}:{:02}", m / 60, m % 60);
}

std::string_view session_kind_name(SessionKind kind) {
  return kind == SessionKind::kTheory ? "theory" : "practical";
}

Status upsert_course(Db& db, const content::Course& c) {
  return db.transaction([&]() -> Status {
    auto have = db.query_int("SELECT version FROM courses WHERE id = ?", c.id);
    if (have.ok() && *have > c.version) return OkStatus();
    CHZ_TRY(db.run("INSERT OR IGNORE INTO courses(id) VALUES (?)", c.id));
    return db.run(
        "UPDATE courses SET name = ?, occupation = ?, occupation_code = ?, level = ?, "
        "theory_hours = ?, practical_hours = ?, theory_pass = ?, practical_pass = ?, "
        "version = ?, deleted = 0 WHERE id = ?",
        c.name, c.occupation, c.occupation_code, static_cast<int>(c.level), c.theory_hours,
        c.practical_hours, static_cast<std::int64_t>(c.theory_pass),
        static_cast<std::int64_t>(c.practical_pass), c.version, c.id);
  });
}

Result<CourseInfo> get_course(Db& db, const std::string& id) {
  CHZ_ASSIGN_OR_RETURN(
      Stmt st, db.prepare("SELECT id, name, occupation, occupation_code, level, theory_hours, "
                          "practical_hours, theory_pass, practical_pass FROM courses "
                          "WHERE id = ? AND deleted = 0"));
  st.bind(1, id);
  CHZ_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return Status(Code::kNotFound, "no such course", "course.unknown");
  CourseInfo c{st.text(0), st.text(1), st.text(2), st.text(3)};
  c.level = static_cast<content::Level>(st.int64(4));
  c.theory_hours = static_cast<int>(st.int64(5));
  c.practical_hours = static_cast<int>(st.int64(6));
  c.theory_pass = static_cast<int>(st.int64(7));
  c.practical_pass = static_cast<int>(st.int64(8));
  return c;
}

Result<std::vector<CourseInfo>> list_courses(Db& db) {
  CHZ_ASSIGN_OR_RETURN(Stmt st,
                       db.prepare("SELECT id FROM courses WHERE deleted = 0 ORDER BY name, id"));
  CHZ_ASSIGN_OR_RETURN(auto ids, texts(st));
  std::vector<CourseInfo> out;
  for (const auto& id : ids) {
    CHZ_ASSIGN_OR_RETURN(CourseInfo c, get_course(db, id));
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::string> create_class(Db& db, const Clock& clock, const Actor& actor,
                                 const ClassInput& in) {
  if (in.capacity < 1 || in.capacity > 500)
    return Status(Code::kInvalidArgument, "a class holds 1 to 500 trainees", "class.capacity");
  if (in.name.empty()) return Status(Code::kInvalidArgument, "a class needs a name", "class.name");
  std::string id;
  CHZ_TRY(db.transaction([&]() -> Status {
    CHZ_TRY(require_role(db, actor, {Role::kSiteAdmin, Role::kTrainer, Role::kSystem}));
    CHZ_TRY(get_course(db, in.course).status());
    CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
    id = "class-" + new_uuid_text(now);
    json body = {{"entity", k::entity(k::kClass, id)},
                 {"course", in.course},
                 {"site", in.site},
                 {"name", in.name},
                 {"capacity", in.capacity},
                 {"trainers", join_ids(in.trainers)},
                 {"deleted", 0}};
    return write_record(db, clock, actor, k::kClass, body, "class.create", {{"class", id}})
        .status();
  }));
  return id;
}

Result<ClassInfo> get_class(Db& db, const std::string& id) {
  CHZ_ASSIGN_OR_RETURN(
      Stmt st,
      db.prepare(
          "SELECT id, course, site, name, capacity, trainers, (SELECT count(*) FROM enrolments e "
          "WHERE e.class = c.id AND e.active = 1 AND e.deleted = 0) FROM classes c WHERE id = ? "
          "AND deleted = 0"));
  st.bind(1, id);
  CHZ_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return Status(Code::kNotFound, "no such class", "class.unknown");
  ClassInfo c{st.text(0), st.text(1), st.text(2), st.text(3)};
  c.capacity = static_cast<int>(st.int64(4));
  c.trainers = split_ids(st.text(5));
  c.enrolled = static_cast<int>(st.int64(6));
  return c;
}

Result<std::vector<ClassInfo>> list_classes(Db& db) {
  CHZ_ASSIGN_OR_RETURN(Stmt st,
                       db.prepare("SELECT id FROM classes WHERE deleted = 0 ORDER BY name, id"));
  CHZ_ASSIGN_OR_RETURN(auto ids, texts(st));
  std::vector<ClassInfo> out;
  for (const auto& id : ids) {
    CHZ_ASSIGN_OR_RETURN(ClassInfo c, get_class(db, id));
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::string> add_session(Db& db, const Clock& clock, const Actor& actor,
                                const SessionInput& in) {
  if (!is_valid_date(in.date) || in.start_minute < 0 || in.end_minute > 24 * 60 ||
      in.end_minute <= in.start_minute)
    return Status(Code::kInvalidArgument, "a session ends after it starts, on one day",
                  "session.window");
  std::string id;
  CHZ_TRY(db.transaction([&]() -> Status {
    CHZ_TRY(require_role(db, actor, {Role::kSiteAdmin, Role::kTrainer, Role::kSystem}));
    CHZ_TRY(get_class(db, in.class_id).status());
    CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
    id = "session-" + new_uuid_text(now);
    json body = {{"entity", k::entity(k::kSession, id)},
                 {"class", in.class_id},
                 {"date", format_date(in.date)},
                 {"start", format_minute(in.start_minute)},
                 {"end", format_minute(in.end_minute)},
                 {"kind", session_kind_name(in.kind)},
                 {"deleted", 0}};
    return write_record(db, clock, actor, k::kSession, body, "session.add",
                        {{"session", id}, {"class", in.class_id}})
        .status();
  }));
  return id;
}

Status cancel_session(Db& db, const Clock& clock, const Actor& actor, const std::string& session) {
  return db.transaction([&]() -> Status {
    CHZ_TRY(require_role(db, actor, {Role::kSiteAdmin, Role::kTrainer, Role::kSystem}));
    CHZ_TRY(get_session(db, session).status());
    CHZ_ASSIGN_OR_RETURN(
        std::int64_t opened,
        db.query_int("SELECT count(*) FROM session_opens WHERE session = ?", session));
    if (opened)
      return Status(Code::kFailedPrecondition, "a session that was opened cannot be cancelled",
                    "session.already_opened");
    return write_record(db, clock, actor, k::kTombstone,
                        {{"entity", k::entity(k::kSession, session)}}, "session.cancel",
                        {{"session", session}})
        .status();
  });
}

Result<SessionInfo> get_session(Db& db, const std::string& id) {
  CHZ_ASSIGN_OR_RETURN(Stmt st,
                       db.prepare("SELECT id, class, date, start, \"end\", kind FROM sessions "
                                  "WHERE id = ? AND deleted = 0"));
  st.bind(1, id);
  CHZ_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return Status(Code::kNotFound, "no such session", "session.unknown");
  SessionInfo s{st.text(0), st.text(1)};
  CHZ_ASSIGN_OR_RETURN(s.date, parse_date(st.text(2)));
  CHZ_ASSIGN_OR_RETURN(s.start_minute, parse_minute(st.text(3)));
  CHZ_ASSIGN_OR_RETURN(s.end_minute, parse_minute(st.text(4)));
  s.kind = st.text(5) == "practical" ? SessionKind::kPractical : SessionKind::kTheory;
  std::int64_t midnight = china_midnight_ms(s.date);
  s.start_ms = midnight + s.start_minute * 60'000LL;
  s.end_ms = midnight + s.end_minute * 60'000LL;
  return s;
}

Result<std::vector<SessionInfo>> sessions_of_class(Db& db, const std::string& class_id) {
  CHZ_ASSIGN_OR_RETURN(Stmt st,
                       db.prepare("SELECT id FROM sessions WHERE class = ? AND deleted = 0 "
                                  "ORDER BY date, start, id"));
  st.bind(1, class_id);
  CHZ_ASSIGN_OR_RETURN(auto ids, texts(st));
  std::vector<SessionInfo> out;
  for (const auto& id : ids) {
    CHZ_ASSIGN_OR_RETURN(SessionInfo s, get_session(db, id));
    out.push_back(std::move(s));
  }
  return out;
}

Result<bool> is_enrolled(Db& db, const std::string& class_id, const std::string& person) {
  CHZ_ASSIGN_OR_RETURN(std::int64_t n,
                       db.query_int("SELECT count(*) FROM enrolments WHERE class = ? AND "
                                    "person = ? AND active = 1 AND deleted = 0",
                                    class_id, person));
  return n > 0;
}

Status enrol(Db& db, const Clock& clock, const Actor& actor, const std::string& class_id,
             const std::string& person) {
  return db.transaction([&]() -> Status {
    CHZ_TRY(require_role(db, actor, {Role::kSiteAdmin, Role::kTrainer, Role::kSystem}));
    CHZ_ASSIGN_OR_RETURN(ClassInfo c, get_class(db, class_id));
    CHZ_TRY(get_person(db, person).status());
    CHZ_ASSIGN_OR_RETURN(bool already, is_enrolled(db, class_id, person));
    if (already)
      return Status(Code::kAlreadyExists, "already enrolled in this class", "enrol.exists");
    if (c.enrolled >= c.capacity)
      return Status(Code::kFailedPrecondition, "the class is full", "class.full");
    json body = {{"entity", k::entity(k::kEnrolment, class_id + ":" + person)},
                 {"class", class_id},
                 {"person", person},
                 {"active", 1},
                 {"deleted", 0}};
    return write_record(db, clock, actor, k::kEnrolment, body, "class.enrol",
                        {{"class", class_id}, {"person", person}})
        .status();
  });
}

Status withdraw(Db& db, const Clock& clock, const Actor& actor, const std::string& class_id,
                const std::string& person) {
  return db.transaction([&]() -> Status {
    CHZ_TRY(require_role(db, actor, {Role::kSiteAdmin, Role::kTrainer, Role::kSystem}));
    CHZ_ASSIGN_OR_RETURN(bool in, is_enrolled(db, class_id, person));
    if (!in) return Status(Code::kNotFound, "not enrolled in this class", "enrol.unknown");
    json body = {{"entity", k::entity(k::kEnrolment, class_id + ":" + person)}, {"active", 0}};
    return write_record(db, clock, actor, k::kEnrolment, body, "class.withdraw",
                        {{"class", class_id}, {"person", person}})
        .status();
  });
}

Result<std::vector<std::string>> enrolled_people(Db& db, const std::string& class_id) {
  CHZ_ASSIGN_OR_RETURN(Stmt st,
                       db.prepare("SELECT e.person FROM enrolments e LEFT JOIN people p ON p.id = "
                                  "e.person WHERE e.class = ? AND e.active = 1 AND e.deleted = 0 "
                                  "ORDER BY p.name, e.person"));
  st.bind(1, class_id);
  return texts(st);
}

}  // namespace chz::kiosk
