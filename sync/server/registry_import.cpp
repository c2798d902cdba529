// Registry import: one streaming query reads every current member with its
// fields and groups, the file is compared with it in memory, and what
// differs is written in one append_county call. That keeps a 100,000-row
// registry to one read and one transaction.
#include "sync/server/registry_import.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/fs.h"
#include "sync/protocol/person_key.h"
#include "sync/server/county_model.h"

namespace chz::server {
using nlohmann::json;

namespace {

// A current member as the model holds them.
struct Member {
  std::string from_day;
  std::string name, name_source, township, village, phone, employment;
  std::set<std::string> groups;  // member = 1
};

Result<std::unordered_map<std::string, Member>> current_members(ServerStore& s) {
  std::unordered_map<std::string, Member> out;
  CHZ_TRY(s.model([&](ModelTx& tx) -> Status {
    return tx.sql().each(
        "SELECT r.person, r.from_day, p.name, p.name_source, p.township, p.village, p.phone, "
        "p.employment, g.grp FROM cm_registry r JOIN cm_people p ON p.id = r.person "
        "LEFT JOIN cm_person_groups g ON g.person = r.person AND g.member = 1 "
        "WHERE r.to_day IS NULL",
        {}, [&](const SqlRow& row) {
          auto [it, fresh] = out.try_emplace(row.text(0));
          Member& m = it->second;
          if (fresh || row.text(1) < m.from_day) {
            m.from_day = row.text(1);
            m.name = row.text(2);
            m.name_source = row.text(3);
            m.township = row.text(4);
            m.village = row.text(5);
            m.phone = row.text(6);
            m.employment = row.text(7);
          }
          if (!row.null(8)) m.groups.insert(row.text(8));
          return OkStatus();
        });
  }));
  return out;
}

bool same(const Member& m, const RegistryPerson& p) {
  if (m.name != p.name || m.name_source != "registry" || m.township != p.township ||
      m.village != p.village || m.phone != p.phone || m.employment != p.employment)
    return false;
  return std::all_of(p.groups.begin(), p.groups.end(),
                     [&](const std::string& g) { return m.groups.count(g) > 0; });
}

// Ties records to the file they came from, without naming it.
Result<std::string> file_tag(const std::string& path) {
  CHZ_ASSIGN_OR_RETURN(std::string bytes, read_file(path));
  return hex(sha256(bytes)).substr(0, 16);
}

std::string entry_body(const std::string& person, const RegistryPerson& p, const std::string& from,
                       const std::string& tag) {
  json b{{"person", person},
         {"id_number", p.id_number},
         {"name", p.name},
         {"township", p.township},
         {"village", p.village},
         {"phone", p.phone},
         {"employment", p.employment},
         {"groups", p.groups},
         {"from", from},
         {"import", tag}};
  return b.dump();
}

}  // namespace

Result<RegistryImportResult> import_registry(ServerStore& s, const CountyKeys& k,
                                             const std::string& path,
                                             const RegistryImportOptions& o, std::int64_t now_ms) {
  auto today = parse_date(o.today);
  if (!today.ok())
    return Status(Code::kInvalidArgument, "--today must be a date YYYY-MM-DD",
                  "registry.bad_today");
  RegistryImportResult res;
  CHZ_ASSIGN_OR_RETURN(res.file, read_registry(path, today->year));
  CHZ_ASSIGN_OR_RETURN(std::string tag, file_tag(path));
  CHZ_ASSIGN_OR_RETURN(auto members, current_members(s));

  const std::string feed(model::kRegistryFeed);
  std::vector<CountyWrite> w;
  std::unordered_set<std::string> in_file;
  in_file.reserve(res.file.people.size());
  for (const auto& p : res.file.people) {
    std::string key = sync::person_key(k.person_key, p.id_number);
    in_file.insert(key);
    auto it = members.find(key);
    if (it == members.end()) {
      ++res.added;
      w.push_back({feed, std::string(model::kRegistryEntry), entry_body(key, p, o.today, tag)});
    } else if (!same(it->second, p)) {
      ++res.updated;
      // The member keeps the span they are in.
      w.push_back(
          {feed, std::string(model::kRegistryEntry), entry_body(key, p, it->second.from_day, tag)});
    } else {
      ++res.unchanged;
    }
  }

  res.leaves_skipped = std::any_of(res.file.issues.begin(), res.file.issues.end(),
                                   [](const RowIssue& i) { return i.fatal; });
  if (!res.leaves_skipped) {
    std::vector<std::string> gone;
    for (const auto& [key, m] : members)
      if (!in_file.count(key) && m.from_day < o.today) gone.push_back(key);
    std::sort(gone.begin(), gone.end());  // the same file writes the same records
    for (const auto& key : gone) {
      ++res.left;
      w.push_back({feed, std::string(model::kRegistryLeave),
                   json{{"person", key}, {"to", o.today}}.dump()});
    }
  }
  if (!o.dry_run && !w.empty()) CHZ_TRY(s.append_county(w, now_ms));
  return res;
}

Result<HeldImportResult> import_held_certificates(ServerStore& s, const CountyKeys& k,
                                                  const std::string& path, bool dry_run,
                                                  std::int64_t now_ms) {
  HeldImportResult res;
  CHZ_ASSIGN_OR_RETURN(res.file, read_held_certificates(path));
  std::set<std::pair<std::string, std::string>> held;  // (person, ref)
  CHZ_TRY(s.model([&](ModelTx& tx) -> Status {
    return tx.sql().each("SELECT person, ref FROM cm_held WHERE source = 'import'", {},
                         [&](const SqlRow& row) {
                           held.emplace(row.text(0), row.text(1));
                           return OkStatus();
                         });
  }));
  const std::string feed(model::kRegistryFeed);
  std::vector<CountyWrite> w;
  for (const auto& c : res.file.certificates) {
    std::string key = sync::person_key(k.person_key, c.id_number);
    if (!held.emplace(key, "import:" + c.number).second) {
      ++res.unchanged;
      continue;
    }
    ++res.added;
    json b{{"person", key},      {"kind", c.kind}, {"occupation", c.occupation}, {"level", c.level},
           {"number", c.number}, {"date", c.date}, {"issuer", c.issuer}};
    w.push_back({feed, std::string(model::kHeldCertificate), b.dump()});
  }
  if (!dry_run && !w.empty()) CHZ_TRY(s.append_county(w, now_ms));
  return res;
}

Result<RegistryCounts> registry_counts(ServerStore& s) {
  RegistryCounts c;
  CHZ_TRY(s.model([&](ModelTx& tx) -> Status {
    Sql& sql = tx.sql();
    CHZ_ASSIGN_OR_RETURN(c.members, sql.scalar("SELECT COUNT(DISTINCT person) FROM cm_registry "
                                               "WHERE to_day IS NULL"));
    CHZ_ASSIGN_OR_RETURN(c.left, sql.scalar("SELECT COUNT(DISTINCT person) FROM cm_registry r "
                                            "WHERE NOT EXISTS (SELECT 1 FROM cm_registry o "
                                            "WHERE o.person = r.person AND o.to_day IS NULL)"));
    CHZ_ASSIGN_OR_RETURN(c.not_in_registry,
                         sql.scalar("SELECT COUNT(*) FROM cm_people p WHERE p.deleted = 0 AND "
                                    "NOT EXISTS (SELECT 1 FROM cm_registry r "
                                    "WHERE r.person = p.id AND r.to_day IS NULL)"));
    return OkStatus();
  }));
  return c;
}

}  // namespace chz::server
