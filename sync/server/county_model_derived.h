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
};

// Recomputes cm_credit, cm_passes and cm_held for everything `d` names
// (widened: a session's every attendee, a class's credit and attempts, a
// course's passes and certificates).
Status recompute(Sql& sql, Dirty& d);

// One (session, person)'s confirmed credited minutes from the base tables,
// by the shared rules; 0 if the session is unknown, cancelled or its
// roster unconfirmed.
Result<std::int64_t> credit_minutes(Sql& sql, const std::string& session,
                                    const std::string& person);

}  // namespace chz::server::model
