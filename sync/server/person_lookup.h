// One person as the county's read model holds them, for the bureau's
// person lookup (dashboard, `chizheng-server person`): registry facts,
// classes with credited 学时, exams, the certificates kiosks issued with
// every county decision on them, and certificates held. Found by ID number
// (keyed as enrolment keys people: sync::person_key under the county key),
// by person key, or by part of a name. ID numbers and phones are masked.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "sync/server/county.h"
#include "sync/server/sql.h"

namespace chz::server {

// The person's key for an ID number; the ID check's refusal (kInvalidArgument
// "id.…") for a malformed one.
Result<std::string> person_key_of(const CountyKeys& k, std::string_view id_number);

// {"person":{…}, "classes":[…], "exams":[…], "certificates":[…], "held":[…]}
// (docs/dashboard.md); 学时 at `minutes_per_hour`, 0 for the county's own
// (model::minutes_per_hour). kNotFound "person.unknown".
Result<nlohmann::json> person_record(Sql& sql, const std::string& key, int minutes_per_hour = 0);

// {"matches":[{"key","name","id_masked","township","village"}]}: people
// whose name contains `part` (at most 50). kInvalidArgument "person.query"
// for an empty or over-long part.
Result<nlohmann::json> people_named(Sql& sql, std::string_view part);

// "1405**********002X" (the first four and last four kept); "" for "".
std::string mask_id(std::string_view id);

}  // namespace chz::server
