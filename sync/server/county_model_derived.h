// The read model's derived rows (county_model.h), recomputed from the base
// tables for what a batch of records touched. Internal to the model.
#pragma once

#include <set>
#include <string>
#include <utility>

#include "sync/server/sql.h"

namespace chz::server::model {

struct Dirty {
  std::set<std::pair<std::string, std::string>> credit;  // (session, person)
  std::set<std::pair<std::string, std::string>> passes;  // (person, course)
  std::set<std::string> sessions, classes, courses, certs;
  std::set<std::string> held_people;  // whose cm_held rows changed
};

// Recomputes cm_credit, cm_passes and cm_held for everything `d` names
// (widened: a session's every attendee, a class's credit and attempts, a
// course's passes and certificates), and the facts that sum them
// (cm_credit_month for each (person, class) whose credit was rewritten,
// cm_held_first for each person whose certificates were).
Status recompute(Sql& sql, Dirty& d);

// The facts' rows recounted from cm_credit and cm_held, in the order
// `stats verify` compares them with the tables ("|"-joined columns).
Result<std::vector<std::string>> recount_credit_month(Sql& sql);
Result<std::vector<std::string>> recount_held_first(Sql& sql);
// Every row of `query` as "|"-joined columns (NULL as ∅), sorted.
Result<std::vector<std::string>> sorted_rows(Sql& sql, const std::string& query);

// One (session, person)'s confirmed credited minutes from the base tables,
// by the shared rules; 0 if the session is unknown, cancelled or its
// roster unconfirmed.
Result<std::int64_t> credit_minutes(Sql& sql, const std::string& session,
                                    const std::string& person);

}  // namespace chz::server::model
