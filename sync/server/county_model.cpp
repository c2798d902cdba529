// Projection of stored records into the county's read model. Each record
// is applied once (facts by uuid, mutable fields by stamp); what it
// touches is noted, and the derived rows (credit, passes, held
// certificates) are recomputed once per batch from the base tables.
#include "sync/server/county_model.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <set>

#include "common/clock.h"
#include "sync/protocol/certificate.h"
#include "sync/protocol/idcard.h"
#include "sync/protocol/record_kinds.h"
#include "sync/protocol/training_rules.h"
#include "sync/server/county_model_derived.h"
#include "sync/server/county_model_schema.h"
#include "sync/server/county_model_scope.h"

namespace chz::server::model {
namespace k = sync::kinds;
namespace rules = sync::rules;
using nlohmann::json;

namespace {

struct MutableKind {
  std::string_view kind, table;
  std::vector<std::string_view> columns;  // record field == column name
};

const std::vector<MutableKind>& mutable_kinds() {
  static const std::vector<MutableKind> kList = {
      {k::kPerson,
       "cm_people",
       {"id_number", "name", "name_source", "township", "village", "phone", "employment"}},
      {k::kStaff, "cm_staff", {"name", "role", "site", "active"}},
      {k::kCourse,
       "cm_courses",
       {"name", "occupation", "occupation_code", "level", "theory_hours", "practical_hours",
        "theory_pass", "practical_pass"}},
      {k::kClass, "cm_classes", {"course", "site", "name", "capacity", "trainers"}},
      {k::kSession, "cm_sessions", {"class", "date", "start", "end", "kind"}},
      {k::kEnrolment, "cm_enrolments", {"class", "person", "active"}},
      {kTarget, "cm_targets", {"unit", "year", "indicator", "value"}},
  };
  return kList;
}

const MutableKind* find_kind(std::string_view kind) {
  for (const auto& m : mutable_kinds())
    if (m.kind == kind) return &m;
  return nullptr;
}

// Thrown for a malformed body of a known kind; caught per record.
struct Malformed {};

std::string str(const json& b, const char* f) {
  auto it = b.find(f);
  if (it == b.end() || !it->is_string()) throw Malformed{};
  return it->get<std::string>();
}
std::int64_t num(const json& b, const char* f) {
  auto it = b.find(f);
  if (it == b.end() || !it->is_number_integer()) throw Malformed{};
  return it->get<std::int64_t>();
}
std::string opt_str(const json& b, const char* f) {
  auto it = b.find(f);
  return it != b.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string day_of(std::int64_t ms) {
  return format_date(china_date(ms));
}

template <class T>
T must(Result<T> r) {
  if (!r.ok()) throw r.status();
  return std::move(r).value();
}

class Projector {
 public:
  Projector(Sql& sql) : sql_(sql) {}

  void apply(const StoredRecord& sr) {
    const sync::Record& r = sr.record;
    if (r.kind != k::kTombstone && !find_kind(r.kind) && r.kind != k::kAttendance &&
        r.kind != k::kAttendanceCorrection && r.kind != k::kRosterConfirm &&
        r.kind != sync::kinds::kExamAttempt && r.kind != sync::kinds::kPracticalScore &&
        r.kind != sync::kinds::kCertificate && r.kind != sync::kinds::kCertificateConfirm &&
        r.kind != kRegistryEntry && r.kind != kRegistryLeave && r.kind != kHeldCertificate &&
        r.kind != k::kCountySetting)
      return;
    // The county's settings, newest first; the rule also refuses any origin
    // but this server's own.
    if (r.kind == k::kCountySetting) {
      if (auto m = rules::minutes_per_hour_of(r);
          m &&
          claim("setting:" + std::string(k::kMinutesPerHourKey), "value", rules::field_stamp(r))) {
        must(sql_.exec("DELETE FROM cm_meta WHERE key = 'minutes_per_hour'"));
        must(sql_.exec("INSERT INTO cm_meta(key, value) VALUES ('minutes_per_hour', ?)",
                       {std::int64_t{*m}}));
      }
      return;
    }
    // What only the county may say: its decisions on certificates and the
    // registry. A kiosk sending these kinds is ignored here. At a city the
    // counties' own records arrive as "county-<area>" (upstream.h); only a
    // county's identity can upload under that origin.
    if ((r.kind == sync::kinds::kCertificateConfirm || r.kind == kRegistryEntry ||
         r.kind == kRegistryLeave || r.kind == kHeldCertificate) &&
        r.meta.origin_device != "county" && r.meta.origin_device.rfind("county-", 0) != 0)
      return;
    // Targets are this server's own: a county's stay at the county.
    if (r.kind == kTarget && r.meta.origin_device != "county") return;
    json b = json::parse(r.body, nullptr, false);
    if (b.is_discarded() || !b.is_object()) throw Malformed{};
    // At a city, a county's records speak of its own ids (county_model_scope.h).
    std::string scope = record_scope(sr.site, r.meta.origin_device);
    if (!scope.empty()) scope_ids(r.kind, b, scope);
    if (r.kind == k::kTombstone) {
      const std::string entity = str(b, "entity");  // `of` views into it
      std::string_view of = k::entity_kind(entity);
      if (of == kTarget && r.meta.origin_device != "county") return;
      const MutableKind* mk = find_kind(of);
      if (mk) apply_mutable(r, *mk, b, true);
    } else if (const MutableKind* mk = find_kind(r.kind)) {
      apply_mutable(r, *mk, b, false);
    } else if (r.kind == kRegistryEntry) {
      registry_entry(r, b);
    } else {
      apply_fact(r, b, sr.site, scoped_uuid(r.meta.uuid, r.meta.origin_device, scope));
    }
  }

  Dirty& dirty() { return dirty_; }

  // Corrections that arrived before the events they name get their root,
  // once per batch (and only if any correction is waiting for one).
  void resolve_waiting() {
    if (fresh_events_.empty()) return;
    auto waiting = sql_.scalar("SELECT count(*) FROM cm_corrections WHERE session IS NULL");
    if (waiting.ok() && *waiting > 0)
      for (const auto& e : fresh_events_) {
        resolve_corrections(e.uuid, e.session, e.person);
        dirty_.credit.insert({e.session, e.person});
      }
    fresh_events_.clear();
  }

 private:
  bool claim(const std::string& entity, std::string_view field, const std::string& stamp) {
    auto cur = sql_.text("SELECT stamp FROM cm_clock WHERE entity = ? AND field = ?",
                         {entity, std::string(field)});
    if (!cur.ok() && cur.status().code() != Code::kNotFound) throw cur.status();
    if (!rules::replaces(stamp, cur.ok() ? &*cur : nullptr)) return false;
    if (cur.ok())
      must(sql_.exec("UPDATE cm_clock SET stamp = ? WHERE entity = ? AND field = ?",
                     {stamp, entity, std::string(field)}));
    else
      must(sql_.exec("INSERT INTO cm_clock(entity, field, stamp) VALUES (?, ?, ?)",
                     {entity, std::string(field), stamp}));
    return true;
  }
  void force_clock(const std::string& entity, std::string_view field, const std::string& stamp) {
    must(sql_.exec("DELETE FROM cm_clock WHERE entity = ? AND field = ?",
                   {entity, std::string(field)}));
    must(sql_.exec("INSERT INTO cm_clock(entity, field, stamp) VALUES (?, ?, ?)",
                   {entity, std::string(field), stamp}));
  }

  void set(std::string_view table, std::string_view column, const std::string& id, const json& v) {
    std::string q =
        "UPDATE " + std::string(table) + " SET \"" + std::string(column) + "\" = ? WHERE id = ?";
    SqlValue x;
    if (v.is_string())
      x = v.get<std::string>();
    else if (v.is_number_integer())
      x = v.get<std::int64_t>();
    else if (v.is_boolean())
      x = std::int64_t(v.get<bool>());
    else
      throw Malformed{};
    must(sql_.exec(q, {x, id}));
    if (table == "cm_people" && column == "id_number" && v.is_string()) {
      // Gender and birth date follow from the ID number.
      auto idc = sync::parse_id_number(v.get<std::string>());
      std::string g = idc.ok() ? (idc->gender == sync::Gender::kFemale ? "女" : "男") : "";
      std::string birth = idc.ok() ? format_date(idc->birth) : "";
      must(sql_.exec("UPDATE cm_people SET gender = ?, birth = ? WHERE id = ?", {g, birth, id}));
    }
  }

  void touched(std::string_view kind, const std::string& id) {
    if (kind == k::kSession) dirty_.sessions.insert(id);
    if (kind == k::kClass) dirty_.classes.insert(id);
    if (kind == k::kCourse) dirty_.courses.insert(id);
  }

  void apply_mutable(const sync::Record& r, const MutableKind& mk, const json& b, bool tombstone) {
    std::string entity = str(b, "entity");
    std::string id(k::entity_id(entity));
    if (k::entity_kind(entity) != mk.kind || id.empty()) throw Malformed{};
    std::string stamp = rules::field_stamp(r);
    must(sql_.exec("INSERT OR IGNORE INTO " + std::string(mk.table) + "(id) VALUES (?)", {id}));
    if (mk.kind == k::kEnrolment) {
      auto c = id.find(':');
      if (c == std::string::npos) throw Malformed{};
      must(sql_.exec("UPDATE cm_enrolments SET class = ?, person = ? WHERE id = ?",
                     {id.substr(0, c), id.substr(c + 1), id}));
    }
    touched(mk.kind, id);
    if (tombstone) {
      if (claim(entity, "deleted", stamp)) set(mk.table, "deleted", id, 1);
      return;
    }
    std::string incoming_source = b.value("name_source", std::string("kiosk"));
    std::string stored_source = "kiosk";
    if (mk.kind == k::kPerson) {
      auto s = sql_.text("SELECT name_source FROM cm_people WHERE id = ?", {id});
      if (s.ok() && !s->empty()) stored_source = *s;
    }
    for (const auto& [field, v] : b.items()) {
      if (field == "entity") continue;
      if (mk.kind == k::kPerson && field.rfind("group:", 0) == 0) {
        if (!v.is_number_integer()) throw Malformed{};
        if (claim(entity, field, stamp)) set_group(id, field.substr(6), v.get<std::int64_t>());
        continue;
      }
      if (field == "deleted") {
        if (claim(entity, field, stamp)) set(mk.table, field, id, v);
        continue;
      }
      bool known = false;
      for (auto c : mk.columns) known = known || c == field;
      if (!known) continue;  // a field this model does not keep (PINs among them)
      if (mk.kind == k::kPerson && (field == "name" || field == "name_source")) {
        auto rule = rules::name_rule(stored_source, incoming_source);
        if (rule == rules::NameRule::kKeepStored) continue;
        if (rule == rules::NameRule::kTakeIncoming) {
          force_clock(entity, field, stamp);
          set(mk.table, field, id, v);
          continue;
        }
      }
      if (claim(entity, field, stamp)) set(mk.table, field, id, v);
    }
  }

  void set_group(const std::string& person, const std::string& grp, std::int64_t member) {
    must(sql_.exec("DELETE FROM cm_person_groups WHERE person = ? AND grp = ?", {person, grp}));
    must(sql_.exec("INSERT INTO cm_person_groups(person, grp, member) VALUES (?, ?, ?)",
                   {person, grp, member ? std::int64_t{1} : std::int64_t{0}}));
  }

  // A registry entry is the person's fields with the registry's name, plus
  // a dated membership.
  void registry_entry(const sync::Record& r, const json& b) {
    std::string person = str(b, "person");
    json fields{{"entity", k::entity(k::kPerson, person)},
                {"id_number", str(b, "id_number")},
                {"name", str(b, "name")},
                {"name_source", "registry"},
                {"township", opt_str(b, "township")},
                {"village", opt_str(b, "village")},
                {"phone", opt_str(b, "phone")},
                {"employment", opt_str(b, "employment")}};
    if (auto g = b.find("groups"); g != b.end() && g->is_array())
      for (const auto& x : *g)
        if (x.is_string()) fields["group:" + x.get<std::string>()] = 1;
    const MutableKind* mk = find_kind(k::kPerson);
    apply_mutable(r, *mk, fields, false);
    // A leave that arrived first closes the span at once: the earliest
    // leave after its start.
    std::string from = str(b, "from");
    must(sql_.exec(
        "INSERT OR IGNORE INTO cm_registry(person, from_day, to_day) VALUES (?, ?, (SELECT "
        "min(to_day) FROM cm_registry_leaves WHERE person = ? AND to_day > ?))",
        {person, from, person, from}));
  }

  void apply_fact(const sync::Record& r, const json& b, const std::string& site,
                  const std::string& u) {
    std::string hlc = r.meta.hlc.text();
    if (r.kind == k::kAttendance) {
      std::string s = str(b, "session"), p = str(b, "person"), ev = str(b, "event");
      if (ev != "in" && ev != "out") throw Malformed{};
      std::int64_t n = must(
          sql_.exec("INSERT OR IGNORE INTO cm_attendance(uuid, session, person, event, at_ms, hlc) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    {u, s, p, ev, num(b, "at_ms"), hlc}));
      if (n) fresh_events_.push_back({u, s, p});
      dirty_.credit.insert({s, p});
    } else if (r.kind == k::kAttendanceCorrection) {
      std::string target = str(b, "corrects");
      bool is_void = b.value("void", 0) != 0;
      SqlValue at = nullptr;
      if (!is_void) at = num(b, "at_ms");
      str(b, "by");
      must(
          sql_.exec("INSERT OR IGNORE INTO cm_corrections(uuid, corrects, at_ms, is_void, hlc) "
                    "VALUES (?, ?, ?, ?, ?)",
                    {u, target, at, std::int64_t{is_void ? 1 : 0}, hlc}));
      // Its root: the attendance event it corrects, or that of the
      // correction it corrects.
      auto root = must(sql_.query(
          "SELECT session, person FROM cm_attendance WHERE uuid = ? UNION ALL "
          "SELECT session, person FROM cm_corrections WHERE uuid = ? AND session IS NOT NULL",
          {target, target}));
      if (!root.empty()) {
        std::string s = root[0].text(0), p = root[0].text(1);
        must(sql_.exec("UPDATE cm_corrections SET session = ?, person = ? WHERE uuid = ?",
                       {s, p, u}));
        resolve_corrections(u, s, p);
        dirty_.credit.insert({s, p});
      }
    } else if (r.kind == k::kRosterConfirm) {
      std::string s = str(b, "session");
      must(sql_.exec(
          "INSERT OR IGNORE INTO cm_confirms(uuid, session, at_ms, hlc) VALUES (?, ?, ?, ?)",
          {u, s, num(b, "at_ms"), hlc}));
      for (const char* res : {"present", "credit_to_close", "no_checkout"}) {
        auto it = b.find(res);
        if (it == b.end()) continue;
        if (!it->is_array()) throw Malformed{};
        for (const auto& p : *it) {
          if (!p.is_string()) throw Malformed{};
          must(
              sql_.exec("INSERT OR IGNORE INTO cm_roster_lines(confirm, person, resolution) "
                        "VALUES (?, ?, ?)",
                        {u, p.get<std::string>(), std::string(res)}));
        }
      }
      dirty_.sessions.insert(s);
    } else if (r.kind == sync::kinds::kExamAttempt) {
      std::string p = str(b, "person"), c = str(b, "course"), cls = opt_str(b, "class");
      std::int64_t at = num(b, "submitted_ms");
      must(sql_.exec(
          "INSERT OR IGNORE INTO cm_attempts(uuid, person, course, class, site, day, passed, "
          "theory_x100) VALUES (?, ?, ?, ?, COALESCE((SELECT site FROM cm_classes WHERE id = ?), "
          "''), ?, ?, ?)",
          {u, p, c, cls, cls, day_of(at), std::int64_t{num(b, "passed") ? 1 : 0},
           num(b, "theory_x100")}));
      dirty_.passes.insert({p, c});
    } else if (r.kind == sync::kinds::kPracticalScore) {
      std::string p = str(b, "person"), c = str(b, "course");
      must(sql_.exec(
          "INSERT OR IGNORE INTO cm_practicals(uuid, person, course, class, score_x100, day, "
          "corrects) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {u, p, c, opt_str(b, "class"), num(b, "score_x100"), day_of(num(b, "at_ms")),
           opt_str(b, "corrects")}));
      dirty_.passes.insert({p, c});
    } else if (r.kind == sync::kinds::kCertificate) {
      std::string number = str(b, "number");
      must(sql_.exec(
          "INSERT OR IGNORE INTO cm_certificates(number, person, course, device, site, day, uuid, "
          "canonical, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {number, str(b, "person"), str(b, "course"), r.meta.origin_device, site,
           day_of(r.meta.wall_ms), u, opt_str(b, "canonical"), opt_str(b, "signature")}));
      dirty_.certs.insert(number);
    } else if (r.kind == sync::kinds::kCertificateConfirm) {
      std::string number = str(b, "number");
      must(sql_.exec(
          "INSERT OR IGNORE INTO cm_cert_decisions(uuid, number, at_ms, status, qual_kind, "
          "qual_number, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {u, number, num(b, "at_ms"), str(b, "status"), opt_str(b, "qual_kind"),
           opt_str(b, "qual_number"), opt_str(b, "reason")}));
      dirty_.certs.insert(number);
    } else if (r.kind == kRegistryLeave) {
      std::string p = str(b, "person"), to = str(b, "to");
      must(sql_.exec(
          "INSERT OR IGNORE INTO cm_registry_leaves(uuid, person, to_day) VALUES (?, ?, ?)",
          {u, p, to}));
      must(sql_.exec(
          "UPDATE cm_registry SET to_day = ? WHERE person = ? AND from_day < ? AND (to_day IS NULL "
          "OR to_day > ?)",
          {to, p, to, to}));
    } else if (r.kind == kHeldCertificate) {
      std::string kind = str(b, "kind");
      if (kind != "等级" && kind != "专项") throw Malformed{};
      must(sql_.exec(
          "INSERT OR IGNORE INTO cm_held(person, ref, source, kind, level, occupation, day) "
          "VALUES (?, ?, 'import', ?, ?, ?, ?)",
          {str(b, "person"), "import:" + str(b, "number"), kind, num(b, "level"),
           opt_str(b, "occupation"), str(b, "date")}));
      dirty_.held_people.insert(str(b, "person"));
    }
  }

  // Corrections that arrived before the event (or correction) they name
  // get their root now, down the chain.
  void resolve_corrections(const std::string& uuid, const std::string& s, const std::string& p) {
    std::vector<std::string> todo{uuid};
    while (!todo.empty()) {
      std::string u = std::move(todo.back());
      todo.pop_back();
      auto rows = must(sql_.query(
          "SELECT uuid FROM cm_corrections WHERE corrects = ? AND session IS NULL", {u}));
      for (const auto& row : rows) {
        must(sql_.exec("UPDATE cm_corrections SET session = ?, person = ? WHERE uuid = ?",
                       {s, p, row.text(0)}));
        todo.push_back(row.text(0));
      }
    }
  }

  struct FreshEvent {
    std::string uuid, session, person;
  };
  Sql& sql_;
  Dirty dirty_;
  std::vector<FreshEvent> fresh_events_;
};

}  // namespace

namespace {

// Drops and creates the model, then projects every stored record.
Status rebuild(ModelTx& tx) {
  Sql& sql = tx.sql();
  CHZ_TRY(drop_tables(sql));
  CHZ_TRY(create_tables(sql));
  CHZ_TRY(sql.exec("INSERT INTO cm_meta(key, value) VALUES ('version', ?)",
                   {std::int64_t{kModelVersion}})
              .status());
  CHZ_TRY(sql.exec("INSERT INTO cm_meta(key, value) VALUES ('skipped', 0)").status());
  std::int64_t after = 0;
  for (;;) {
    std::vector<StoredRecord> chunk;
    CHZ_ASSIGN_OR_RETURN(std::int64_t last, tx.records_after(after, 20'000, &chunk));
    if (chunk.empty()) break;
    // One origin per projected run, as ingest sees them.
    std::size_t i = 0;
    while (i < chunk.size()) {
      std::size_t j = i;
      while (j < chunk.size() &&
             chunk[j].record.meta.origin_device == chunk[i].record.meta.origin_device)
        ++j;
      std::vector<StoredRecord> run(chunk.begin() + static_cast<long>(i),
                                    chunk.begin() + static_cast<long>(j));
      CHZ_TRY(project(sql, run));
      i = j;
    }
    after = last;
  }
  return OkStatus();
}

// Each table's rows as sorted 64-bit hashes: enough to tell what changed
// without holding millions of rows.
// `lines`, if given, keeps the text of up to 100,000 rows by hash (never of
// cm_people: its rows are personal data), to show what differed.
Result<std::vector<std::uint64_t>> row_hashes(Sql& sql, const std::string& table,
                                              std::map<std::uint64_t, std::string>* lines) {
  std::vector<std::uint64_t> out;
  std::string line;
  CHZ_TRY(sql.each("SELECT * FROM " + table, {}, [&](const SqlRow& r) {
    line = r.joined("\x1f", "\x01");
    out.push_back(std::hash<std::string>{}(line));
    if (lines && table != "cm_people" && lines->size() < 100'000) {
      std::string shown = line;
      std::replace(shown.begin(), shown.end(), '\x1f', '|');
      (*lines)[out.back()] = shown;
    }
    return OkStatus();
  }));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Status ensure(ModelTx& tx) {
  Sql& sql = tx.sql();
  CHZ_TRY(sql.exec("CREATE TABLE IF NOT EXISTS cm_meta(key TEXT PRIMARY KEY, value BIGINT NOT "
                   "NULL)")
              .status());
  auto v = sql.scalar("SELECT value FROM cm_meta WHERE key = 'version'");
  if (v.ok() && *v == kModelVersion) return OkStatus();
  if (!v.ok() && v.status().code() != Code::kNotFound) return v.status();
  return rebuild(tx);
}

Result<int> minutes_per_hour(Sql& sql) {
  auto v = sql.scalar("SELECT value FROM cm_meta WHERE key = 'minutes_per_hour'");
  if (!v.ok() && v.status().code() != Code::kNotFound) return v.status();
  return v.ok() && rules::valid_minutes_per_hour(static_cast<int>(*v))
             ? static_cast<int>(*v)
             : rules::kDefaultMinutesPerHour;
}

Result<std::vector<TableDiff>> reproject(ModelTx& tx) {
  std::map<std::string, std::vector<std::uint64_t>> before;
  std::map<std::string, std::map<std::uint64_t, std::string>> before_lines;
  for (const auto& t : tables()) {
    auto h = row_hashes(tx.sql(), t, &before_lines[t]);
    before[t] = h.ok() ? std::move(h).value() : std::vector<std::uint64_t>{};
  }
  CHZ_TRY(rebuild(tx));
  std::vector<TableDiff> out;
  for (const auto& t : tables()) {
    std::map<std::uint64_t, std::string> after_lines;
    CHZ_ASSIGN_OR_RETURN(auto after, row_hashes(tx.sql(), t, &after_lines));
    const auto& b = before[t];
    std::vector<std::uint64_t> gone, added;
    std::set_difference(b.begin(), b.end(), after.begin(), after.end(), std::back_inserter(gone));
    std::set_difference(after.begin(), after.end(), b.begin(), b.end(), std::back_inserter(added));
    if (gone.empty() && added.empty()) continue;
    TableDiff d{t,
                static_cast<std::int64_t>(b.size()),
                static_cast<std::int64_t>(after.size()),
                static_cast<std::int64_t>(gone.size()),
                static_cast<std::int64_t>(added.size()),
                {}};
    for (std::size_t i = 0; i < gone.size() && i < 3; ++i)
      if (auto it = before_lines[t].find(gone[i]); it != before_lines[t].end())
        d.examples.push_back("- " + it->second);
    for (std::size_t i = 0; i < added.size() && i < 3; ++i)
      if (auto it = after_lines.find(added[i]); it != after_lines.end())
        d.examples.push_back("+ " + it->second);
    out.push_back(std::move(d));
  }
  return out;
}

Status project(Sql& sql, const std::vector<StoredRecord>& records) {
  try {
    Projector p(sql);
    std::int64_t skipped = 0;
    for (const auto& r : records) {
      try {
        p.apply(r);
      } catch (const Malformed&) {
        ++skipped;
      } catch (const nlohmann::json::exception&) {
        ++skipped;
      }
    }
    if (skipped)
      must(sql.exec("UPDATE cm_meta SET value = value + ? WHERE key = 'skipped'", {skipped}));
    // Device freshness: when each kiosk's records last arrived, and how many.
    std::map<std::string, std::pair<std::string, std::pair<std::int64_t, std::int64_t>>> seen;
    for (const auto& r : records) {
      const std::string& dev = r.record.meta.origin_device;
      if (dev == "county" || r.received_ms <= 0) continue;
      auto& e = seen[dev];
      e.first = r.site;
      e.second.first = std::max(e.second.first, r.received_ms);
      ++e.second.second;
    }
    for (const auto& [dev, e] : seen) {
      std::int64_t changed = must(
          sql.exec("UPDATE cm_devices SET last_ms = CASE WHEN last_ms > ? THEN last_ms ELSE ? END, "
                   "records = records + ?, site = ? WHERE device = ?",
                   {e.second.first, e.second.first, e.second.second, e.first, dev}));
      if (!changed)
        must(sql.exec("INSERT INTO cm_devices(device, site, last_ms, records) VALUES (?, ?, ?, ?)",
                      {dev, e.first, e.second.first, e.second.second}));
    }
    p.resolve_waiting();
    return recompute(sql, p.dirty());
  } catch (const Status& s) {
    return s;
  }
}

}  // namespace chz::server::model
