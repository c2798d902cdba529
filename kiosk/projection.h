// Applies a record to the domain tables. Local writes and records from the
// county's feed go through the same code, so a kiosk and its peers agree on
// what a record means. Mutable records merge field by field, last writer
// wins by HLC (the registry's name beats a kiosk-typed one whatever the
// stamps); facts are inserted once by uuid.
#pragma once

#include "common/db.h"
#include "sync/protocol/record.h"

namespace chz::kiosk {

// REQUIRES: inside a transaction. Records of kinds this area does not know
// are ignored (OK). kInvalidArgument if a known kind's body is malformed.
Status project_record(Db& db, const sync::Record& r);

// True iff project_record knows `kind`.
bool is_domain_kind(std::string_view kind);

}  // namespace chz::kiosk
