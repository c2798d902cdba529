// The county's read model: queryable tables (cm_*) projected from every
// record the server stores — kiosk uploads, USB bundles, county commands
// and registry imports — in the same transaction that stores them, on
// both backends, through the one Sql seam (sql.h). The merge rules are the
// kiosk's (sync/protocol/training_rules.h): people merge field by field,
// last writer wins by HLC, key groups as an add/remove set, the registry's
// name over a kiosk-typed one; facts apply once by uuid; credited minutes
// count only for confirmed rosters. The result does not depend on the
// order records arrive in. Derived tables:
//   cm_credit    (session, person) → confirmed credited minutes, with the
//                session's China-time day, class, course, site and kind
//   cm_passes    (person, course)  → the first day both theory and
//                practical were passed (a retake's pass counts once)
//   cm_held      (person, ref)     → certificates held: Chizheng ones once
//                the county confirms them, imported ones from their date
// The model is rebuilt whole from the stored records by reproject().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "sync/server/sql.h"

namespace chz::server::model {

// Bumped when a cm_ table changes shape: ensure() then drops and rebuilds
// the model from the records (the records are the truth; the model is a
// cache of them).
inline constexpr int kModelVersion = 4;  // 4: cm_credit_month, cm_held_first

// Record kinds only the county writes (from any other origin the model
// ignores them, as it ignores certificate_confirm records a kiosk might
// send) and only the model reads: they go to
// the registry feed (kRegistryFeed), which no kiosk is on, so a registry
// import never floods kiosk feeds.
inline constexpr std::string_view kRegistryFeed = "_registry";
// registry_entry: {"person","id_number","name","township","village",
//   "phone","employment" ("employed"|"unemployed"|""),"groups":[...],
//   "from":"YYYY-MM-DD","import":"<file sha256 prefix>"}
inline constexpr std::string_view kRegistryEntry = "registry_entry";
// registry_leave: {"person","to":"YYYY-MM-DD"} (no longer in the registry
// from that day: moved, died, aged out).
inline constexpr std::string_view kRegistryLeave = "registry_leave";
// held_certificate (a certificate from before Chizheng): {"person","kind"
//   ("等级"|"专项"),"occupation","level" (5..1, 0 for 专项),"number",
//   "date","issuer"}
inline constexpr std::string_view kHeldCertificate = "held_certificate";
// target (mutable; targets.h): {"entity":"target:<unit|self>:<year>:<indicator>",
//   "unit","year","indicator","value" (decimal text; "" = withdrawn),"deleted"}.
// Only this server's own records (origin "county") set one.
inline constexpr std::string_view kTarget = "target";

// Creates the model's tables if absent; if they hold another version,
// drops them, creates them and reprojects every stored record.
Status ensure(ModelTx& tx);

// Projects stored records (one site's feed) into the model. REQUIRES:
// inside the transaction that stored them. Records of kinds the model does
// not read are skipped; a malformed body of a known kind is skipped and
// counted in cm_meta 'skipped' (the record is stored; the server accepted
// it, and a statistic must not block sync).
Status project(Sql& sql, const std::vector<StoredRecord>& records);

// The county's minutes per 学时: its newest county_setting (record_kinds.h,
// kept in cm_meta 'minutes_per_hour'), 45 if it never set one. Every figure
// in 学时 (report, roster, person lookup, dashboard) divides by it.
Result<int> minutes_per_hour(Sql& sql);

// Drops every model row and projects all stored records again; returns
// what differed per table (rows before and after, rows that were there and
// are gone, rows that are new or changed), empty if the rebuilt model
// equals what was there.
struct TableDiff {
  std::string table;
  std::int64_t before = 0, after = 0, gone = 0, added = 0;
  std::vector<std::string> examples;  // a few "- row" / "+ row" (none of cm_people)
};
Result<std::vector<TableDiff>> reproject(ModelTx& tx);

// The derived tables' names (reproject, stats verify).
const std::vector<std::string>& tables();

}  // namespace chz::server::model
