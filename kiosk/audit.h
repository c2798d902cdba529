// The append-only, hash-chained audit log. Entry n stores the SHA-256 of
// entry n-1 (prev_hash) and its own hash over a canonical encoding of
// (id, at_ms, actor, action, detail, prev_hash), so editing, deleting or
// reordering a row with raw SQL breaks the chain and verify_audit_chain()
// names the first broken entry. Triggers refuse UPDATE/DELETE as a first
// line; the chain catches whoever drops them.
//
// Detail holds no personal data beyond person keys: no names, ID numbers or
// phones (they are personal data; keys are not readable without the county
// key).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/db.h"

namespace chz::kiosk {

// Appends one entry stamped with corrected kiosk time.
// REQUIRES: inside db.transaction(...), with the change it describes.
Status append_audit(Db& db, const Clock& clock, std::string_view actor, std::string_view action,
                    const nlohmann::json& detail);

// Walks the chain from entry 1. OK iff every entry's id follows the last,
// its prev_hash is the previous entry's hash, and its hash matches its
// content. kTampered otherwise, naming the first broken entry's id.
Status verify_audit_chain(Db& db);

struct AuditEntry {
  std::int64_t id = 0;
  std::int64_t at_ms = 0;
  std::string actor, action, detail;  // detail: canonical JSON text
};
// The last `limit` entries, newest first; filtered by action when given.
Result<std::vector<AuditEntry>> recent_audit(Db& db, std::size_t limit,
                                             std::string_view action = {});

}  // namespace chz::kiosk
