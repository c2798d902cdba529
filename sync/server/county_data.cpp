#include "sync/server/county_data.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "content/package.h"
#include "content/source.h"
#include "sync/protocol/idcard.h"
#include "sync/protocol/person_key.h"
#include "sync/protocol/record_kinds.h"

namespace chz::server {
namespace kinds = sync::kinds;
using nlohmann::json;

namespace {
Status write(ServerStore& s, const std::string& site, std::string_view kind, const json& body,
             std::int64_t now) {
  return s.append_county({{site, std::string(kind), body.dump()}}, now);
}

Result<std::string> class_site(ServerStore& s, const std::string& class_id) {
  std::string site;
  CHZ_TRY(s.model([&](ModelTx& tx) -> Status {
    auto r = tx.sql().text("SELECT site FROM cm_classes WHERE id = ? AND deleted = 0", {class_id});
    if (r.ok()) site = *r;
    return r.ok() || r.status().code() == Code::kNotFound ? OkStatus() : r.status();
  }));
  if (site.empty()) return Status(Code::kNotFound, "no such class: " + class_id);
  return site;
}
}  // namespace

Status add_staff(ServerStore& s, const StaffInput& in, std::int64_t now) {
  CHZ_TRY(s.site_name(in.site).status());
  json b{{"entity", kinds::entity(kinds::kStaff, in.id)},
         {"name", in.name},
         {"role", in.role},
         {"site", in.site},
         {"active", 1}};
  // The kiosk checks the code with the same function it hashes PINs with.
  if (!in.setup_code.empty()) b["setup_code"] = kinds::hash_staff_secret(in.setup_code);
  return write(s, in.site, kinds::kStaff, b, now);
}

Status add_class(ServerStore& s, const ClassInput& in, std::int64_t now) {
  CHZ_TRY(s.site_name(in.site).status());
  std::string trainers;
  for (const auto& t : in.trainers) trainers += (trainers.empty() ? "" : ",") + t;
  return write(s, in.site, kinds::kClass,
               {{"entity", kinds::entity(kinds::kClass, in.id)},
                {"course", in.course},
                {"site", in.site},
                {"name", in.name},
                {"capacity", in.capacity},
                {"trainers", trainers}},
               now);
}

Status add_session(ServerStore& s, const SessionInput& in, std::int64_t now) {
  CHZ_ASSIGN_OR_RETURN(std::string site, class_site(s, in.class_id));
  return write(s, site, kinds::kSession,
               {{"entity", kinds::entity(kinds::kSession, in.id)},
                {"class", in.class_id},
                {"date", in.date},
                {"start", in.start},
                {"end", in.end},
                {"kind", in.kind}},
               now);
}

Status check_key_groups(const std::vector<std::string>& groups) {
  for (const auto& g : groups) {
    bool known = false;
    for (auto k : kinds::kKeyGroups) known = known || k == g;
    if (!known) {
      std::string all;
      for (auto k : kinds::kKeyGroups) all += (all.empty() ? "" : "、") + std::string(k);
      return Status(Code::kInvalidArgument,
                    "不是十类重点就业群体之一: " + g + " (the ten: " + all + ")", "person.group");
    }
  }
  return OkStatus();
}

Status enrol_person(ServerStore& s, const CountyKeys& k, const std::string& class_id,
                    const PersonInput& p, std::int64_t now) {
  CHZ_ASSIGN_OR_RETURN(sync::IdCard id, sync::parse_id_number(p.id_number));
  CHZ_TRY(check_key_groups(p.groups));
  CHZ_ASSIGN_OR_RETURN(std::string site, class_site(s, class_id));
  std::string key = sync::person_key(k.person_key, id.number);
  json person{{"entity", kinds::entity(kinds::kPerson, key)},
              {"id_number", id.number},
              {"name", p.name},
              {"name_source", "registry"}};
  // A field not given keeps what the county already holds (enrolling a
  // known person in a second class must not blank their village); a
  // correction clears one (correct-person).
  for (const auto& [field, value] :
       {std::pair{"township", &p.township}, {"village", &p.village}, {"phone", &p.phone}})
    if (!value->empty()) person[field] = *value;
  for (const auto& g : p.groups) person["group:" + g] = 1;
  json enrol{{"entity", kinds::entity(kinds::kEnrolment, class_id + ":" + key)},
             {"class", class_id},
             {"person", key},
             {"active", 1}};
  return s.append_county({{site, std::string(kinds::kPerson), person.dump()},
                          {site, std::string(kinds::kEnrolment), enrol.dump()}},
                         now);
}

Result<std::string> issue_code(ServerStore& s, const std::string& site, std::int64_t ttl_ms,
                               std::int64_t now) {
  CHZ_TRY(s.site_name(site).status());
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford base32
  Bytes r(20);
  random_bytes(r);
  std::string code;
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (i && i % 4 == 0) code.push_back('-');
    code.push_back(kAlphabet[r[i] % 32]);
  }
  std::string norm = sync::api::normalize_code(code);
  CHZ_TRY(
      s.add_code({sync::api::code_id(norm), sync::api::code_key(norm), site, now + ttl_ms, false}));
  return code;
}

Result<PublishResult> publish_course(ServerStore& s, const CountyKeys& k, const std::string& dir,
                                     std::int64_t now) {
  CHZ_ASSIGN_OR_RETURN(content::SourceCourse src, content::read_source(dir));
  CHZ_ASSIGN_OR_RETURN(std::string pkg, content::build_package(src, k.content_secret));
  CHZ_ASSIGN_OR_RETURN(content::Package opened, content::open_package(pkg, {k.content_pub}));
  std::string id = fmt::format("{}-v{}", opened.course.id, opened.course.version);
  // Publishing is idempotent: the same version again changes nothing and
  // announces nothing; changed content under a published version is refused
  // (kiosks that installed it would hold another package of the same name).
  if (auto have = s.content(id); have.ok()) {
    if (*have == pkg) return PublishResult{id, false};
    return Status(Code::kConflict,
                  id + " is already published with other content: raise the version in the "
                       "course source to publish a change",
                  "content.version_exists");
  } else if (have.status().code() != Code::kNotFound) {
    return have.status();
  }
  CHZ_TRY(s.put_content(id, pkg, now));
  CHZ_ASSIGN_OR_RETURN(auto sites, s.sites());
  std::vector<CountyWrite> w;
  json course{{"entity", kinds::entity(kinds::kCourse, opened.course.id)},
              {"name", opened.course.name},
              {"occupation", opened.course.occupation},
              {"occupation_code", opened.course.occupation_code},
              {"level", static_cast<int>(opened.course.level)},
              {"theory_hours", opened.course.theory_hours},
              {"practical_hours", opened.course.practical_hours},
              {"theory_pass", static_cast<int>(opened.course.theory_pass)},
              {"practical_pass", static_cast<int>(opened.course.practical_pass)}};
  json announce{{"package", id},
                {"course", opened.course.id},
                {"version", opened.course.version},
                {"sha256", hex(sha256(pkg))},
                {"bytes", static_cast<std::int64_t>(pkg.size())}};
  for (const auto& site : sites) {
    w.push_back({site, std::string(kinds::kCourse), course.dump()});
    w.push_back({site, "content_published", announce.dump()});
  }
  CHZ_TRY(s.append_county(w, now));
  return PublishResult{id, true};
}

}  // namespace chz::server
