// The county's indicators, each defined once: in code here and in words
// (indicators()), the same words `chizheng-server report --help` prints
// and the dashboard shows. Every figure is computed from the read model
// (county_model.h) by one body of SQL both backends run.
//
// Training figures are cut by the SITE (its township, the site, the
// course's occupation and level, the class); population figures (持证率)
// by the PERSON's registry township and village; both by key group, gender,
// age band (age on the period's last day) and month. Periods are China-time
// days, both ends included. Cuts may overlap (a person in two key groups
// counts in both); a total is never a sum of rows for a distinct count.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sync/server/report_table.h"
#include "sync/server/sql.h"

namespace chz::server::stats {

enum class Cut {
  kTotal,
  kTownship,   // training: the site's township; population: the person's
  kResidence,  // population: the person's township and village
  kSite,
  kOccupation,
  kLevel,
  kClass,
  kGroup,
  kGender,
  kAge,
  kMonth,
  kCounty,  // at a city or province: the county a record came from (county_model_scope.h)
};
// "township", "residence", "site", "occupation", "level", "class", "group",
// "gender", "age", "month", "county", "total"; kInvalidArgument otherwise.
Result<Cut> parse_cut(std::string_view s);
std::string_view cut_name(Cut c);   // "township"
std::string_view cut_label(Cut c);  // "乡镇"

struct Indicator {
  std::string_view key;         // "trained_people"
  std::string_view name;        // "培训人数"
  std::string_view definition;  // in words
  bool population = false;      // a population figure (持证率 family)
  bool rate = false;            // a fraction 0..1
  bool hours = false;           // 学时 (one decimal)
};
const std::vector<Indicator>& indicators();
// Every indicator's name and definition, one per line (for --help).
std::string definitions_text();

struct Query {
  std::string from, to;  // "YYYY-MM-DD", China time, inclusive
  Cut by = Cut::kTotal;
  bool employed = false;     // 从业人员持证率: population restricted to the employed
  int minutes_per_hour = 0;  // 0: the county's own (model::minutes_per_hour)
  // Filters (empty = none), for drilling down: `township` narrows training
  // figures to that township's sites and population figures to people
  // registered there; `site` and `class_id` narrow training figures and
  // leave the population figures out (they belong to people, not sites).
  std::string township, site, class_id;
  // Counted from the base rows (cm_credit, cm_held) instead of the facts
  // that pre-aggregate them (county_model_schema.cpp): what `stats verify`
  // compares every report with.
  bool from_base = false;
  bool people_only() const { return site.empty() && class_id.empty(); }
};

struct Row {
  std::string key, label;
  std::map<std::string, double> values;  // indicator key → value
};
struct Report {
  Query query;
  std::vector<std::string> columns;  // indicator keys shown for this cut
  std::vector<Row> rows;
  Row total;
  std::vector<std::string> notes;
};

// Computes the report. kInvalidArgument for a malformed or reversed period.
Result<Report> compute(Sql& sql, const Query& q);

// The report as a table for the writers (report_table.h).
ReportTable to_table(const Report& r, const std::string& unit_name, const std::string& filled_on);

// Freshness: each kiosk's last sync, those silent `silent_days` or more,
// and certificates awaiting the county's decision.
// The counties below a city or province server, as (area code, name) in
// area order: the city makes a site "county:<area>" for each county it
// issues a code to. Empty at a county.
struct CountyBelow {
  std::string area, name;
};
Result<std::vector<CountyBelow>> counties_below(Sql& sql);

// A kiosk's last contact (`last_ms`): the latest of its last signed request
// (a sync that sends nothing counts), the last arrival of its records (a USB
// bundle counts) and its enrollment. Every enrolled kiosk is listed, those
// that never sent a record too; revoked ones are not (nothing is expected
// of them). At a city, the kiosks below it are known by their records.
struct DeviceFreshness {
  std::string device, site, site_name;
  std::int64_t last_ms = 0, records = 0;
  bool silent = false;
};
// At a city or province: per county below (every county given a code, those
// that never sent anything too, with last_ms 0), when its records last
// arrived (its own and its kiosks'), how many kiosks it forwards and how
// many of them are silent. Empty at a county. A county's own identity is
// listed here, not among the kiosks.
struct CountyFreshness {
  std::string area, name;
  std::int64_t last_ms = 0, records = 0;
  int kiosks = 0, silent = 0;
  bool behind = false;  // nothing from it for `silent_days` or more
};
struct Freshness {
  std::vector<DeviceFreshness> devices;
  std::int64_t silent = 0, pending_certificates = 0;
  std::vector<CountyFreshness> counties;  // by area code
};
Result<Freshness> freshness(Sql& sql, std::int64_t now_ms, int silent_days = 7);

// `stats verify`: recounts the derived rows (credited minutes, passes,
// held certificates) from the base tables with plain SQL and the shared
// rules, recounts the pre-aggregated facts from them, computes every cut's
// report from the base rows and from the facts and compares them, and
// checks that additive figures sum across every cut; returns one line per
// difference (empty: everything agrees).
Result<std::vector<std::string>> verify(Sql& sql, const Query& q);

}  // namespace chz::server::stats
