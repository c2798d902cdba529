// Which county a stored record belongs to, at a city or province server,
// and its county-local ids put under that county (internal to the read
// model, county_model.h).
//
// A county chooses its own site, class, session, staff and course ids
// ("site-01", a class id a bureau typed) and keys people under its own
// county key, so two counties' records can name the same id for different
// things. At the level above, every id a county's record names is read as
// "<area>/<id>": the records themselves are stored as they were signed,
// and only the model's rows carry the prefix. A record belongs to county
// <area> when it came from a kiosk forwarded by that county (stored under
// site "<area>/<site>", upstream.h) or from the county itself (origin
// "county-<area>"). At a county server no record has a scope and nothing
// changes.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace chz::server::model {

// "<area>/" for a record of a county below this server, "" otherwise.
// `site` is the feed the record is stored under, `origin` its origin device.
std::string record_scope(std::string_view site, std::string_view origin);

// Rewrites, in place, every county-local id the body of a `kind` record
// names (its entity, person, class, course, session, site and the roster's
// person lists) to `scope` + id. Ids already under a scope are left alone.
// REQUIRES: `body` is an object; `scope` is non-empty.
void scope_ids(std::string_view kind, nlohmann::json& body, const std::string& scope);

// The model's uuid for a record: a county's own records are named from
// origin "county" in every county (wire.h), so at the level above they
// are told apart by their scope.
std::string scoped_uuid(const std::string& uuid, std::string_view origin, const std::string& scope);

}  // namespace chz::server::model
