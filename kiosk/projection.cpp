#include "kiosk/projection.h"

#include <nlohmann/json.hpp>

#include <map>

#include "kiosk/hours.h"
#include "sync/protocol/record_kinds.h"
#include "sync/protocol/training_rules.h"

namespace chz::kiosk {

namespace k = sync::kinds;
using nlohmann::json;

namespace {

struct MutableKind {
  std::string_view kind, table;
  std::vector<std::string_view> columns;  // record field == column name
};

const std::vector<MutableKind>& mutable_kinds() {
  static const std::vector<MutableKind> kList = {
      {k::kPerson, "people", {"id_number", "name", "name_source", "township", "village", "phone"}},
      {k::kStaff, "staff", {"name", "role", "site", "active", "pin", "setup_code"}},
      {k::kCourse,
       "courses",
       {"name", "occupation", "occupation_code", "level", "theory_hours", "practical_hours",
        "theory_pass", "practical_pass", "version"}},
      {k::kClass, "classes", {"course", "site", "name", "capacity", "trainers"}},
      {k::kSession, "sessions", {"class", "date", "start", "end", "kind"}},
      {k::kEnrolment, "enrolments", {"class", "person", "active"}},
  };
  return kList;
}

const MutableKind* find_kind(std::string_view kind) {
  for (const auto& m : mutable_kinds())
    if (m.kind == kind) return &m;
  return nullptr;
}

Status bad(const sync::Record& r, std::string_view why) {
  return Status(Code::kInvalidArgument,
                "record " + r.meta.uuid + " (" + r.kind + "): " + std::string(why));
}

Result<json> parse_body(const sync::Record& r) {
  json b = json::parse(r.body, nullptr, false);
  if (b.is_discarded() || !b.is_object()) return bad(r, "body is not a JSON object");
  return b;
}

// True iff `hlc` is newer than the stored stamp of (entity, field); then
// remembers it.
Result<bool> claim_field(Db& db, const std::string& entity, std::string_view field,
                         const std::string& hlc) {
  auto cur =
      db.query_text("SELECT hlc FROM field_clock WHERE entity = ? AND field = ?", entity, field);
  if (!cur.ok() && cur.status().code() != Code::kNotFound) return cur.status();
  if (!sync::rules::replaces(hlc, cur.ok() ? &*cur : nullptr)) return false;
  CHZ_TRY(db.run("INSERT OR REPLACE INTO field_clock(entity, field, hlc) VALUES (?, ?, ?)", entity,
                 field, hlc));
  return true;
}

Status set_column(Db& db, std::string_view table, std::string_view column, const std::string& id,
                  const json& v) {
  std::string sql =
      "UPDATE " + std::string(table) + " SET \"" + std::string(column) + "\" = ? WHERE id = ?";
  if (v.is_string()) return db.run(sql, v.get<std::string>(), id);
  if (v.is_number_integer() || v.is_boolean())
    return db.run(sql, v.is_boolean() ? std::int64_t(v.get<bool>()) : v.get<std::int64_t>(), id);
  return Status(Code::kInvalidArgument,
                "field " + std::string(column) + " must be text or an integer");
}

Status apply_mutable(Db& db, const sync::Record& r, const MutableKind& mk, const json& b,
                     bool tombstone) {
  if (!b.contains("entity") || !b["entity"].is_string()) return bad(r, "no entity");
  std::string entity = b["entity"];
  std::string id(k::entity_id(entity));
  if (k::entity_kind(entity) != mk.kind || id.empty())
    return bad(r, "entity does not match the kind");
  std::string hlc = sync::rules::field_stamp(r);
  CHZ_TRY(db.run("INSERT OR IGNORE INTO " + std::string(mk.table) + "(id) VALUES (?)", id));
  if (mk.kind == k::kEnrolment) {
    // "enrolment:<class>:<person>": the id carries both keys.
    auto c = id.find(':');
    if (c == std::string::npos) return bad(r, "enrolment id is <class>:<person>");
    CHZ_TRY(db.run("UPDATE enrolments SET class = ?, person = ? WHERE id = ?", id.substr(0, c),
                   id.substr(c + 1), id));
  }
  if (tombstone) {
    CHZ_ASSIGN_OR_RETURN(bool newer, claim_field(db, entity, "deleted", hlc));
    if (newer) CHZ_TRY(set_column(db, mk.table, "deleted", id, 1));
    return OkStatus();
  }
  // The registry's name wins over a kiosk-typed name, whatever the stamps.
  std::string incoming_source = b.value("name_source", std::string("kiosk"));
  std::string stored_source = "kiosk";
  if (mk.kind == k::kPerson) {
    auto s = db.query_text("SELECT name_source FROM people WHERE id = ?", id);
    if (s.ok()) stored_source = *s;
  }
  for (const auto& [field, v] : b.items()) {
    if (field == "entity") continue;
    if (mk.kind == k::kPerson && field.rfind("group:", 0) == 0) {
      if (!v.is_number_integer()) return bad(r, "a group field is 1 or 0");
      CHZ_ASSIGN_OR_RETURN(bool newer, claim_field(db, entity, field, hlc));
      if (newer)
        CHZ_TRY(db.run("INSERT OR REPLACE INTO person_groups(person, grp, member) VALUES (?, ?, ?)",
                       id, field.substr(6), v.get<std::int64_t>() ? 1 : 0));
      continue;
    }
    if (field == "deleted") {
      CHZ_ASSIGN_OR_RETURN(bool newer, claim_field(db, entity, field, hlc));
      if (newer) CHZ_TRY(set_column(db, mk.table, field, id, v));
      continue;
    }
    bool known = false;
    for (auto c : mk.columns) known = known || c == field;
    if (!known) continue;  // a newer writer's field: ignore, keep going
    if (mk.kind == k::kPerson && (field == "name" || field == "name_source")) {
      auto rule = sync::rules::name_rule(stored_source, incoming_source);
      if (rule == sync::rules::NameRule::kKeepStored) continue;
      if (rule == sync::rules::NameRule::kTakeIncoming) {
        CHZ_TRY(db.run("INSERT OR REPLACE INTO field_clock(entity, field, hlc) VALUES (?, ?, ?)",
                       entity, field, hlc));
        CHZ_TRY(set_column(db, mk.table, field, id, v));
        continue;
      }
    }
    CHZ_ASSIGN_OR_RETURN(bool newer, claim_field(db, entity, field, hlc));
    if (newer) CHZ_TRY(set_column(db, mk.table, field, id, v));
  }
  return OkStatus();
}

Result<std::string> str(const sync::Record& r, const json& b, const char* f) {
  if (!b.contains(f) || !b[f].is_string()) return bad(r, std::string("missing text field ") + f);
  return b[f].get<std::string>();
}
Result<std::int64_t> num(const sync::Record& r, const json& b, const char* f) {
  if (!b.contains(f) || !b[f].is_number_integer())
    return bad(r, std::string("missing integer field ") + f);
  return b[f].get<std::int64_t>();
}

Status apply_fact(Db& db, const sync::Record& r, const json& b) {
  const std::string& u = r.meta.uuid;
  std::string hlc = r.meta.hlc.text();
  if (r.kind == k::kSessionOpen) {
    CHZ_ASSIGN_OR_RETURN(auto s, str(r, b, "session"));
    CHZ_ASSIGN_OR_RETURN(auto by, str(r, b, "by"));
    CHZ_ASSIGN_OR_RETURN(auto at, num(r, b, "at_ms"));
    return db.run(
        "INSERT OR IGNORE INTO session_opens(uuid, session, by_staff, at_ms) VALUES (?, ?, ?, ?)",
        u, s, by, at);
  }
  if (r.kind == k::kAttendance) {
    CHZ_ASSIGN_OR_RETURN(auto s, str(r, b, "session"));
    CHZ_ASSIGN_OR_RETURN(auto p, str(r, b, "person"));
    CHZ_ASSIGN_OR_RETURN(auto ev, str(r, b, "event"));
    CHZ_ASSIGN_OR_RETURN(auto by, str(r, b, "by"));
    CHZ_ASSIGN_OR_RETURN(auto at, num(r, b, "at_ms"));
    if (ev != "in" && ev != "out") return bad(r, "event is in or out");
    return db.run(
        "INSERT OR IGNORE INTO attendance(uuid, session, person, event, at_ms, by_actor, hlc) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        u, s, p, ev, at, by, hlc);
  }
  if (r.kind == k::kAttendanceCorrection) {
    CHZ_ASSIGN_OR_RETURN(auto target, str(r, b, "corrects"));
    CHZ_ASSIGN_OR_RETURN(auto by, str(r, b, "by"));
    CHZ_ASSIGN_OR_RETURN(auto reason, str(r, b, "reason"));
    bool is_void = b.value("void", 0) != 0;
    std::optional<std::int64_t> at;
    if (!is_void) {
      CHZ_ASSIGN_OR_RETURN(at, num(r, b, "at_ms"));
    }
    return db.run(
        "INSERT OR IGNORE INTO attendance_corrections(uuid, corrects, at_ms, void, by_staff, "
        "reason, hlc) VALUES (?, ?, ?, ?, ?, ?, ?)",
        u, target, at, is_void ? 1 : 0, by, reason, hlc);
  }
  if (r.kind == k::kCountySetting) {
    // The county's minutes per 学时, newest first; anything else under this
    // kind (another key, a kiosk's, out of range) changes nothing.
    auto minutes = sync::rules::minutes_per_hour_of(r);
    if (!minutes) return OkStatus();
    CHZ_ASSIGN_OR_RETURN(bool newer,
                         claim_field(db, "setting:" + std::string(k::kMinutesPerHourKey), "value",
                                     sync::rules::field_stamp(r)));
    return newer ? set_minutes_per_hour(db, *minutes) : OkStatus();
  }
  if (r.kind == k::kRosterConfirm) {
    CHZ_ASSIGN_OR_RETURN(auto s, str(r, b, "session"));
    CHZ_ASSIGN_OR_RETURN(auto by, str(r, b, "by"));
    CHZ_ASSIGN_OR_RETURN(auto at, num(r, b, "at_ms"));
    CHZ_TRY(
        db.run("INSERT OR IGNORE INTO roster_confirms(uuid, session, by_staff, at_ms, hlc) "
               "VALUES (?, ?, ?, ?, ?)",
               u, s, by, at, hlc));
    for (const char* res : {"present", "credit_to_close", "no_checkout"}) {
      if (!b.contains(res)) continue;
      if (!b[res].is_array()) return bad(r, std::string(res) + " is a list of person keys");
      for (const auto& p : b[res]) {
        if (!p.is_string()) return bad(r, "person keys are text");
        CHZ_TRY(db.run(
            "INSERT OR IGNORE INTO roster_lines(confirm, person, resolution) VALUES (?, ?, ?)", u,
            p.get<std::string>(), res));
      }
    }
    return OkStatus();
  }
  return OkStatus();
}

}  // namespace

Status project_known(Db& db, const sync::Record& r);

bool is_domain_kind(std::string_view kind) {
  return find_kind(kind) || kind == k::kTombstone || kind == k::kSessionOpen ||
         kind == k::kAttendance || kind == k::kAttendanceCorrection || kind == k::kRosterConfirm ||
         kind == k::kCountySetting;
}

Status project_record(Db& db, const sync::Record& r) {
  if (!is_domain_kind(r.kind)) return OkStatus();
  try {
    return project_known(db, r);
  } catch (const std::exception& e) {  // nlohmann type errors on odd bodies
    return bad(r, e.what());
  }
}

Status project_known(Db& db, const sync::Record& r) {
  CHZ_ASSIGN_OR_RETURN(json b, parse_body(r));
  if (r.kind == k::kTombstone) {
    if (!b.contains("entity") || !b["entity"].is_string()) return bad(r, "no entity");
    const MutableKind* mk = find_kind(k::entity_kind(b["entity"].get<std::string>()));
    if (!mk) return OkStatus();  // another area's entity
    return apply_mutable(db, r, *mk, b, true);
  }
  if (const MutableKind* mk = find_kind(r.kind)) return apply_mutable(db, r, *mk, b, false);
  return apply_fact(db, r, b);
}

}  // namespace chz::kiosk
