#include "sync/server/person_lookup.h"

#include <cmath>

#include "common/clock.h"

#include "sync/protocol/idcard.h"
#include "sync/protocol/person_key.h"
#include "sync/server/county_model.h"

namespace chz::server {
namespace {
using json = nlohmann::json;

std::string mask_phone(const std::string& p) {
  if (p.size() < 7) return p.empty() ? "" : "****";
  return p.substr(0, 3) + std::string(p.size() - 7, '*') + "****" + p.substr(p.size() - 4);
}

// The LIKE pattern for "contains `s`", with LIKE's own characters escaped.
std::string contains_pattern(std::string_view s) {
  std::string out = "%";
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}
}  // namespace

std::string mask_id(std::string_view id) {
  if (id.empty()) return "";
  if (id.size() <= 8) return std::string(id.size(), '*');
  return std::string(id.substr(0, 4)) + std::string(id.size() - 8, '*') +
         std::string(id.substr(id.size() - 4));
}

Result<std::string> person_key_of(const CountyKeys& k, std::string_view id_number) {
  std::string id(id_number);
  while (!id.empty() && id.back() == ' ') id.pop_back();
  while (!id.empty() && id.front() == ' ') id.erase(id.begin());
  if (id.size() == 15) {
    CHZ_ASSIGN_OR_RETURN(id, sync::upgrade_id15(id));
  }
  CHZ_ASSIGN_OR_RETURN(sync::IdCard card, sync::parse_id_number(id));
  return sync::person_key(k.person_key, card.number);
}

Result<json> person_record(Sql& sql, const std::string& key, int minutes_per_hour) {
  if (minutes_per_hour <= 0) {
    CHZ_ASSIGN_OR_RETURN(minutes_per_hour, model::minutes_per_hour(sql));
  }
  CHZ_ASSIGN_OR_RETURN(auto p,
                       sql.query("SELECT name, id_number, gender, birth, township, village, "
                                 "phone, employment FROM cm_people WHERE id = ? AND "
                                 "deleted = 0",
                                 {key}));
  if (p.empty())
    return Status(Code::kNotFound, "the county holds no record of this person", "person.unknown");
  json j;
  const SqlRow& r = p[0];
  json person = {{"key", key},
                 {"name", r.text(0)},
                 {"id_masked", mask_id(r.text(1))},
                 {"gender", r.text(2)},
                 {"birth", r.text(3)},
                 {"township", r.text(4)},
                 {"village", r.text(5)},
                 {"phone_masked", mask_phone(r.text(6))},
                 {"employment", r.text(7)}};
  person["groups"] = json::array();
  CHZ_ASSIGN_OR_RETURN(auto g, sql.query("SELECT grp FROM cm_person_groups WHERE person = ? AND "
                                         "member = 1 ORDER BY grp",
                                         {key}));
  for (const auto& x : g) person["groups"].push_back(x.text(0));
  CHZ_ASSIGN_OR_RETURN(auto reg,
                       sql.query("SELECT from_day, to_day FROM cm_registry WHERE person = "
                                 "? ORDER BY from_day DESC LIMIT 1",
                                 {key}));
  person["registry"] =
      reg.empty()
          ? json{{"member", false}, {"from", ""}, {"to", ""}}
          : json{{"member", reg[0].null(1)}, {"from", reg[0].text(0)}, {"to", reg[0].text(1)}};
  j["person"] = person;

  j["classes"] = json::array();
  CHZ_ASSIGN_OR_RETURN(
      auto cls,
      sql.query("SELECT e.class, COALESCE(cl.name, e.class), COALESCE(cl.site, ''), "
                "COALESCE(st.name, cl.site, ''), COALESCE(cl.course, ''), COALESCE(k.name, ''), "
                "COALESCE((SELECT sum(c.minutes) FROM cm_credit c WHERE c.person = e.person AND "
                "c.class = e.class), 0) FROM cm_enrolments e LEFT JOIN cm_classes cl ON cl.id = "
                "e.class LEFT JOIN sites st ON st.id = cl.site LEFT JOIN cm_courses k ON k.id = "
                "cl.course WHERE e.person = ? AND e.deleted = 0 ORDER BY e.class",
                {key}));
  for (const auto& c : cls) {
    double hours = std::round(static_cast<double>(c.i64(6)) * 10.0 / minutes_per_hour) / 10.0;
    j["classes"].push_back({{"class", c.text(0)},
                            {"class_name", c.text(1)},
                            {"site", c.text(2)},
                            {"site_name", c.text(3)},
                            {"course", c.text(4)},
                            {"course_name", c.text(5)},
                            {"minutes", c.i64(6)},
                            {"hours", hours}});
  }
  j["exams"] = json::array();
  CHZ_ASSIGN_OR_RETURN(auto ex, sql.query("SELECT a.course, COALESCE(k.name, a.course), a.day, "
                                          "a.theory_x100, a.passed FROM cm_attempts a LEFT JOIN "
                                          "cm_courses k ON k.id = a.course WHERE a.person = ? "
                                          "ORDER BY a.day, a.uuid",
                                          {key}));
  for (const auto& e : ex)
    j["exams"].push_back({{"course", e.text(0)},
                          {"course_name", e.text(1)},
                          {"day", e.text(2)},
                          {"score", static_cast<double>(e.i64(3)) / 100.0},
                          {"passed", e.i64(4) != 0}});
  j["certificates"] = json::array();
  CHZ_ASSIGN_OR_RETURN(auto certs,
                       sql.query("SELECT c.number, c.course, c.day, COALESCE(st.name, c.site) FROM "
                                 "cm_certificates c LEFT JOIN sites st ON st.id = c.site WHERE "
                                 "c.person = ? ORDER BY c.day, c.number",
                                 {key}));
  for (const auto& c : certs) {
    json cert = {{"number", c.text(0)},    {"course", c.text(1)}, {"day", c.text(2)},
                 {"site_name", c.text(3)}, {"status", "待确认"},  {"qual_kind", ""},
                 {"qual_number", ""}};
    cert["history"] = json::array();
    CHZ_ASSIGN_OR_RETURN(auto hist,
                         sql.query("SELECT status, at_ms, qual_kind, qual_number, reason "
                                   "FROM cm_cert_decisions WHERE number = ? ORDER BY "
                                   "at_ms, uuid",
                                   {c.text(0)}));
    for (const auto& h : hist) {
      cert["history"].push_back({{"status", h.text(0)},
                                 {"day", format_date(china_date(h.i64(1)))},
                                 {"qual_kind", h.text(2)},
                                 {"qual_number", h.text(3)},
                                 {"reason", h.text(4)}});
      cert["status"] = h.text(0);
      // An annulment names no qualification: the confirmed one stays shown.
      if (!h.text(2).empty()) cert["qual_kind"] = h.text(2);
      if (!h.text(3).empty()) cert["qual_number"] = h.text(3);
    }
    j["certificates"].push_back(cert);
  }
  j["held"] = json::array();
  CHZ_ASSIGN_OR_RETURN(auto held, sql.query("SELECT kind, occupation, level, ref, day, source FROM "
                                            "cm_held WHERE person = ? ORDER BY day, ref",
                                            {key}));
  for (const auto& h : held)
    j["held"].push_back({{"kind", h.text(0)},
                         {"occupation", h.text(1)},
                         {"level", h.i64(2)},
                         {"ref", h.text(3)},
                         {"day", h.text(4)},
                         {"source", h.text(5)}});
  return j;
}

Result<json> people_named(Sql& sql, std::string_view part) {
  if (part.empty() || part.size() > 64)
    return Status(Code::kInvalidArgument, "give part of a name (1 to 64 bytes)", "person.query");
  CHZ_ASSIGN_OR_RETURN(auto rows, sql.query("SELECT id, name, id_number, township, village FROM "
                                            "cm_people WHERE deleted = 0 AND name LIKE ? ESCAPE "
                                            "'\\' ORDER BY name, id LIMIT 50",
                                            {contains_pattern(part)}));
  json j;
  j["matches"] = json::array();
  for (const auto& r : rows)
    j["matches"].push_back({{"key", r.text(0)},
                            {"name", r.text(1)},
                            {"id_masked", mask_id(r.text(2))},
                            {"township", r.text(3)},
                            {"village", r.text(4)}});
  return j;
}

}  // namespace chz::server
