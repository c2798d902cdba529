#include "sync/server/county_admin.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/clock.h"
#include "sync/protocol/idcard.h"
#include "sync/protocol/record_kinds.h"
#include "sync/protocol/training_rules.h"
#include "sync/server/county_data.h"
#include "sync/server/county_model.h"
#include "sync/server/person_lookup.h"

namespace chz::server::admin {
namespace kinds = sync::kinds;
using nlohmann::json;

namespace {

// " AND <column> = ?" with its argument, when `value` is given.
std::string where_eq(const std::string& column, const std::string& value, SqlArgs& args) {
  if (value.empty()) return "";
  args.emplace_back(value);
  return " AND " + column + " = ?";
}

json rows_as(const std::vector<SqlRow>& rows, const std::function<json(const SqlRow&)>& one) {
  json out = json::array();
  for (const auto& r : rows) out.push_back(one(r));
  return out;
}

Result<json> list_sql(Sql& sql, Listing what, const ListFilter& f) {
  SqlArgs a;
  std::string lim = fmt::format(" LIMIT {}", f.limit);
  switch (what) {
    case Listing::kSites: {
      // The registry's feed ("_registry") is a feed, not a training site.
      CHZ_ASSIGN_OR_RETURN(
          auto rows, sql.query("SELECT s.id, s.name, s.township, (SELECT count(*) FROM devices d "
                               "WHERE d.site = s.id), (SELECT COALESCE(max(d.last_seen_ms), 0) "
                               "FROM devices d WHERE d.site = s.id), (SELECT "
                               "COALESCE(max(m.last_ms), 0) FROM cm_devices m WHERE m.site = "
                               "s.id) FROM sites s WHERE 1 = 1" +
                                   where_eq("s.id", f.site, a) + " ORDER BY s.id" + lim,
                               a));
      json out = json::array();
      for (const auto& r : rows)
        if (r.text(0).rfind('_', 0) != 0)
          out.push_back({{"id", r.text(0)},
                         {"name", r.text(1)},
                         {"township", r.text(2)},
                         {"devices", r.i64(3)},
                         {"last_seen_ms", r.i64(4)},
                         {"last_records_ms", r.i64(5)}});
      return out;
    }
    case Listing::kDevices: {
      CHZ_ASSIGN_OR_RETURN(
          auto rows,
          sql.query("SELECT d.id, d.site, COALESCE(d.number, 0), CASE WHEN d.revoked THEN 1 ELSE "
                    "0 END, d.enrolled_ms, d.last_seen_ms, COALESCE(m.last_ms, 0), "
                    "COALESCE(m.records, 0) FROM "
                    "devices d LEFT JOIN cm_devices m ON m.device = d.id WHERE 1 = 1" +
                        where_eq("d.site", f.site, a) + " ORDER BY d.id" + lim,
                    a));
      return rows_as(rows, [](const SqlRow& r) -> json {
        return {{"id", r.text(0)},
                {"site", r.text(1)},
                {"number", r.i64(2)},
                {"revoked", r.i64(3) != 0},
                {"enrolled_ms", r.i64(4)},
                {"last_seen_ms", r.i64(5)},
                {"last_records_ms", r.i64(6)},
                {"records", r.i64(7)}};
      });
    }
    case Listing::kStaff: {
      CHZ_ASSIGN_OR_RETURN(auto rows,
                           sql.query("SELECT id, name, role, site, active FROM cm_staff WHERE "
                                     "deleted = 0" +
                                         where_eq("site", f.site, a) + " ORDER BY id" + lim,
                                     a));
      return rows_as(rows, [](const SqlRow& r) -> json {
        return {{"id", r.text(0)},
                {"name", r.text(1)},
                {"role", r.text(2)},
                {"site", r.text(3)},
                {"active", r.i64(4) != 0}};
      });
    }
    case Listing::kClasses: {
      CHZ_ASSIGN_OR_RETURN(
          auto rows,
          sql.query(
              "SELECT c.id, c.name, c.course, c.site, c.capacity, c.trainers, (SELECT count(*) "
              "FROM cm_enrolments e WHERE e.class = c.id AND e.active = 1 AND e.deleted = 0), "
              "(SELECT count(*) FROM cm_sessions s WHERE s.class = c.id AND s.deleted = 0), "
              "(SELECT count(DISTINCT f.session) FROM cm_confirms f JOIN cm_sessions s ON s.id = "
              "f.session WHERE s.class = c.id AND s.deleted = 0) FROM cm_classes c WHERE "
              "c.deleted = 0" +
                  where_eq("c.site", f.site, a) + where_eq("c.id", f.class_id, a) +
                  " ORDER BY c.id" + lim,
              a));
      return rows_as(rows, [](const SqlRow& r) -> json {
        return {{"id", r.text(0)},      {"name", r.text(1)},    {"course", r.text(2)},
                {"site", r.text(3)},    {"capacity", r.i64(4)}, {"trainers", r.text(5)},
                {"enrolled", r.i64(6)}, {"sessions", r.i64(7)}, {"confirmed_sessions", r.i64(8)}};
      });
    }
    case Listing::kSessions: {
      std::string site;
      if (!f.site.empty()) {
        a.emplace_back(f.site);
        site = " AND s.class IN (SELECT id FROM cm_classes WHERE site = ?)";
      }
      CHZ_ASSIGN_OR_RETURN(
          auto rows,
          sql.query("SELECT s.id, s.class, s.date, s.start, s.\"end\", s.kind, (SELECT count(*) "
                    "FROM cm_attendance t WHERE t.session = s.id), (SELECT count(*) FROM "
                    "cm_confirms f WHERE f.session = s.id) FROM cm_sessions s WHERE s.deleted = 0" +
                        site + where_eq("s.class", f.class_id, a) +
                        " ORDER BY s.date, s.start, s.id" + lim,
                    a));
      return rows_as(rows, [](const SqlRow& r) -> json {
        return {{"id", r.text(0)},        {"class", r.text(1)},        {"date", r.text(2)},
                {"start", r.text(3)},     {"end", r.text(4)},          {"kind", r.text(5)},
                {"attendance", r.i64(6)}, {"confirmed", r.i64(7) != 0}};
      });
    }
    case Listing::kPeople: {
      std::string in;
      if (!f.site.empty() || !f.class_id.empty()) {
        SqlArgs inner;
        std::string cond =
            where_eq("c.site", f.site, inner) + where_eq("e.class", f.class_id, inner);
        in = " AND p.id IN (SELECT e.person FROM cm_enrolments e JOIN cm_classes c ON c.id = "
             "e.class WHERE e.active = 1 AND e.deleted = 0" +
             cond + ")";
        a.insert(a.end(), inner.begin(), inner.end());
      }
      CHZ_ASSIGN_OR_RETURN(
          auto rows, sql.query("SELECT p.id, p.name, p.id_number, p.gender, p.birth, p.township, "
                               "p.village, p.phone FROM cm_people p WHERE p.deleted = 0" +
                                   in + " ORDER BY p.township, p.village, p.name, p.id" + lim,
                               a));
      return rows_as(rows, [](const SqlRow& r) -> json {
        return {{"key", r.text(0)},
                {"name", r.text(1)},
                {"id_masked", mask_id(r.text(2))},
                {"gender", r.text(3)},
                {"birth", r.text(4)},
                {"township", r.text(5)},
                {"village", r.text(6)},
                {"phone_masked", r.text(7).empty() ? "" : sync::mask_phone(r.text(7))}};
      });
    }
  }
  return Status(Code::kInvalidArgument, "unknown listing", "admin.listing");
}

Status write(ServerStore& s, std::vector<CountyWrite> w, std::int64_t now) {
  return s.append_county(w, now);
}

std::string today_of(std::int64_t now_ms) {
  return format_date(china_date(now_ms));
}

struct SessionRow {
  std::string id, class_id, site, date;
  std::int64_t records = 0;
};

// Why the session may not be cancelled, or OK.
Status cancellable(const SessionRow& r, const std::string& today) {
  if (r.records > 0)
    return Status(Code::kFailedPrecondition,
                  fmt::format("课次 {} 已有签到或确认记录 ({} 条)，不能取消 / session {} has "
                              "attendance or a confirmed roster ({} records) and cannot be "
                              "cancelled",
                              r.id, r.records, r.id, r.records),
                  "admin.session_started");
  if (r.date <= today)
    return Status(
        Code::kFailedPrecondition,
        fmt::format("课次 {} 在 {}，不是将来的课次，不能从县里取消（站点终端可能已经开课）"
                    " / session {} is on {}, not in the future: a kiosk may have held "
                    "it without syncing yet; cancel it at the kiosk before it opens",
                    r.id, r.date, r.id, r.date),
        "admin.session_past");
  return OkStatus();
}

Result<std::vector<SessionRow>> sessions_where(Sql& sql, const std::string& cond,
                                               const std::string& value) {
  CHZ_ASSIGN_OR_RETURN(
      auto rows,
      sql.query("SELECT s.id, s.class, COALESCE(c.site, ''), s.date, (SELECT count(*) FROM "
                "cm_attendance t WHERE t.session = s.id) + (SELECT count(*) FROM cm_confirms f "
                "WHERE f.session = s.id) FROM cm_sessions s LEFT JOIN cm_classes c ON c.id = "
                "s.class WHERE s.deleted = 0 AND " +
                    cond + " = ? ORDER BY s.date, s.id",
                {value}));
  std::vector<SessionRow> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.i64(4)});
  return out;
}

CountyWrite tombstone(const std::string& site, std::string_view kind, const std::string& id) {
  return {site, std::string(kinds::kTombstone), json{{"entity", kinds::entity(kind, id)}}.dump()};
}

}  // namespace

Result<Listing> listing_named(std::string_view n) {
  if (n == "sites") return Listing::kSites;
  if (n == "devices") return Listing::kDevices;
  if (n == "staff") return Listing::kStaff;
  if (n == "classes") return Listing::kClasses;
  if (n == "sessions") return Listing::kSessions;
  if (n == "people") return Listing::kPeople;
  return Status(Code::kInvalidArgument,
                "list what: sites, devices, staff, classes, sessions or people", "admin.listing");
}

Result<json> list(ServerStore& s, Listing what, const ListFilter& f) {
  return read_model(s, [&](Sql& sql) -> Result<json> { return list_sql(sql, what, f); });
}

Result<bool> set_staff_active(ServerStore& s, const std::string& staff, bool active,
                              std::int64_t now) {
  CHZ_ASSIGN_OR_RETURN(
      auto row, read_model(s, [&](Sql& sql) {
        return sql.query("SELECT site, active FROM cm_staff WHERE id = ? AND deleted = 0", {staff});
      }));
  if (row.empty())
    return Status(Code::kNotFound, "no such staff member: " + staff, "admin.staff_unknown");
  if ((row[0].i64(1) != 0) == active) return false;
  CHZ_TRY(write(
      s,
      {{row[0].text(0), std::string(kinds::kStaff),
        json{{"entity", kinds::entity(kinds::kStaff, staff)}, {"active", active ? 1 : 0}}.dump()}},
      now));
  return true;
}

Status unenrol(ServerStore& s, const CountyKeys& k, const std::string& class_id,
               std::string_view id_number, std::int64_t now) {
  CHZ_ASSIGN_OR_RETURN(std::string key, person_key_of(k, id_number));
  const std::string id = class_id + ":" + key;
  CHZ_ASSIGN_OR_RETURN(auto row, read_model(s, [&](Sql& sql) {
                         return sql.query(
                             "SELECT c.site FROM cm_enrolments e JOIN cm_classes c ON c.id = "
                             "e.class WHERE e.id = ? AND e.active = 1 AND e.deleted = 0",
                             {id});
                       }));
  if (row.empty())
    return Status(Code::kNotFound, "this person is not enrolled in class " + class_id,
                  "admin.not_enrolled");
  return write(s,
               {{row[0].text(0), std::string(kinds::kEnrolment),
                 json{{"entity", kinds::entity(kinds::kEnrolment, id)}, {"active", 0}}.dump()}},
               now);
}

Status cancel_session(ServerStore& s, const std::string& session, std::int64_t now) {
  CHZ_ASSIGN_OR_RETURN(
      auto rows, read_model(s, [&](Sql& sql) { return sessions_where(sql, "s.id", session); }));
  if (rows.empty())
    return Status(Code::kNotFound, "no such session: " + session, "admin.session_unknown");
  CHZ_TRY(cancellable(rows[0], today_of(now)));
  return write(s, {tombstone(rows[0].site, kinds::kSession, session)}, now);
}

Result<int> cancel_class(ServerStore& s, const std::string& class_id, std::int64_t now) {
  struct Found {
    std::string site;
    std::vector<SessionRow> sessions;
  };
  CHZ_ASSIGN_OR_RETURN(
      Found f, read_model(s, [&](Sql& sql) -> Result<Found> {
        CHZ_ASSIGN_OR_RETURN(auto c, sql.query("SELECT site FROM cm_classes WHERE id = ? AND "
                                               "deleted = 0",
                                               {class_id}));
        if (c.empty())
          return Status(Code::kNotFound, "no such class: " + class_id, "admin.class_unknown");
        CHZ_ASSIGN_OR_RETURN(auto ss, sessions_where(sql, "s.class", class_id));
        return Found{c[0].text(0), std::move(ss)};
      }));
  const std::string today = today_of(now);
  std::vector<CountyWrite> w;
  for (const auto& ses : f.sessions) {
    if (Status st = cancellable(ses, today); !st.ok())
      return Status(st.code(),
                    "班级 " + class_id + " 不能取消 / class " + class_id +
                        " cannot be cancelled: " + st.message() +
                        " (cancel its future sessions with cancel-session instead)",
                    st.key());
    w.push_back(tombstone(f.site, kinds::kSession, ses.id));
  }
  w.push_back(tombstone(f.site, kinds::kClass, class_id));
  CHZ_TRY(write(s, std::move(w), now));
  return static_cast<int>(f.sessions.size());
}

Result<std::vector<std::string>> correct_person(ServerStore& s, const CountyKeys& k,
                                                std::string_view id_number,
                                                const PersonCorrection& c, std::int64_t now) {
  CHZ_ASSIGN_OR_RETURN(std::string key, person_key_of(k, id_number));
  CHZ_TRY(check_key_groups(c.add_groups));
  CHZ_TRY(check_key_groups(c.remove_groups));
  json body{{"entity", kinds::entity(kinds::kPerson, key)}};
  if (c.name) {
    if (c.name->empty() || c.name->size() > 120)
      return Status(Code::kInvalidArgument, "a name is 1 to 40 characters", "person.name");
    body["name"] = *c.name;
    body["name_source"] = "registry";  // the county's word, as the registry's
  }
  if (c.township) body["township"] = *c.township;
  if (c.village) body["village"] = *c.village;
  if (c.phone) {
    if (c.phone->empty()) {
      body["phone"] = "";
    } else {
      CHZ_ASSIGN_OR_RETURN(std::string digits, sync::parse_phone(*c.phone));
      body["phone"] = digits;
    }
  }
  for (const auto& g : c.add_groups) body["group:" + g] = 1;
  for (const auto& g : c.remove_groups) body["group:" + g] = 0;
  if (!c.leave_day.empty()) CHZ_TRY(parse_date(c.leave_day).status());
  if (body.size() == 1 && c.leave_day.empty())
    return Status(Code::kInvalidArgument, "nothing to correct: give a field to change",
                  "admin.nothing");

  struct Found {
    std::vector<std::string> sites;
    bool member = false;
  };
  CHZ_ASSIGN_OR_RETURN(
      Found f, read_model(s, [&](Sql& sql) -> Result<Found> {
        CHZ_ASSIGN_OR_RETURN(auto p, sql.query("SELECT id FROM cm_people WHERE id = ? AND "
                                               "deleted = 0",
                                               {key}));
        if (p.empty())
          return Status(Code::kNotFound, "the county holds no record of this person",
                        "person.unknown");
        Found out;
        CHZ_ASSIGN_OR_RETURN(auto sites, sql.query("SELECT DISTINCT c.site FROM cm_enrolments e "
                                                   "JOIN cm_classes c ON c.id = e.class WHERE "
                                                   "e.person = ? AND e.deleted = 0 ORDER BY "
                                                   "c.site",
                                                   {key}));
        for (const auto& r : sites) out.sites.push_back(r.text(0));
        CHZ_ASSIGN_OR_RETURN(std::int64_t open,
                             sql.scalar("SELECT count(*) FROM cm_registry WHERE person = ? AND "
                                        "to_day IS NULL",
                                        {key}));
        out.member = open > 0;
        return out;
      }));
  if (!c.leave_day.empty() && !f.member)
    return Status(Code::kFailedPrecondition, "this person is not a current member of the registry",
                  "admin.not_in_registry");
  std::vector<CountyWrite> w;
  std::vector<std::string> written = f.sites;
  if (body.size() > 1) {
    // A registry person enrolled nowhere is the model's alone.
    if (f.sites.empty()) written.emplace_back(model::kRegistryFeed);
    for (const auto& site : written) w.push_back({site, std::string(kinds::kPerson), body.dump()});
  }
  if (!c.leave_day.empty())
    w.push_back({std::string(model::kRegistryFeed), std::string(model::kRegistryLeave),
                 json{{"person", key}, {"to", c.leave_day}}.dump()});
  CHZ_TRY(write(s, std::move(w), now));
  return written;
}

Result<std::optional<int>> county_minutes_per_hour(ServerStore& s) {
  return read_model(s, [](Sql& sql) -> Result<std::optional<int>> {
    auto v = sql.scalar("SELECT value FROM cm_meta WHERE key = 'minutes_per_hour'");
    if (v.ok()) return std::optional<int>(static_cast<int>(*v));
    if (v.status().code() == Code::kNotFound) return std::optional<int>();
    return v.status();
  });
}

namespace {
CountyWrite minutes_setting(const std::string& site, int minutes) {
  return {site, std::string(kinds::kCountySetting),
          json{{"key", kinds::kMinutesPerHourKey}, {"value", minutes}}.dump()};
}
}  // namespace

Result<bool> set_minutes_per_hour(ServerStore& s, int minutes, std::int64_t now) {
  if (!sync::rules::valid_minutes_per_hour(minutes))
    return Status(Code::kInvalidArgument,
                  fmt::format("每学时分钟数须在 {}–{} 之间 / minutes per 学时 must be {} to {}",
                              sync::rules::kMinMinutesPerHour, sync::rules::kMaxMinutesPerHour,
                              sync::rules::kMinMinutesPerHour, sync::rules::kMaxMinutesPerHour),
                  "hours.minutes_per_hour");
  CHZ_ASSIGN_OR_RETURN(auto have, county_minutes_per_hour(s));
  if (have == minutes) return false;
  CHZ_ASSIGN_OR_RETURN(auto sites, s.sites());
  std::vector<CountyWrite> w;
  for (const auto& site : sites) w.push_back(minutes_setting(site, minutes));
  // With no site yet, the model still learns it (a site added later gets it
  // from send_settings).
  if (w.empty()) w.push_back(minutes_setting(std::string(model::kRegistryFeed), minutes));
  CHZ_TRY(write(s, std::move(w), now));
  return true;
}

Status send_settings(ServerStore& s, const std::string& site, std::int64_t now) {
  CHZ_ASSIGN_OR_RETURN(auto have, county_minutes_per_hour(s));
  if (!have) return OkStatus();
  return write(s, {minutes_setting(site, *have)}, now);
}

}  // namespace chz::server::admin
