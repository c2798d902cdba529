// The one way the domain writes: a record into the outbox, projected into
// the domain tables, and an audit entry naming the actor — all inside the
// caller's transaction, so a failure anywhere leaves nothing behind.
#pragma once

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/db.h"
#include "kiosk/actor.h"
#include "sync/protocol/record.h"

namespace chz::kiosk {

// REQUIRES: inside db.transaction(...). `audit_detail` holds no personal data
// beyond person keys; the record's uuid and kind are added to it.
Result<sync::RecordMeta> write_record(Db& db, const Clock& clock, const Actor& actor,
                                      std::string_view kind, const nlohmann::json& body,
                                      std::string_view action, nlohmann::json audit_detail = {});

}  // namespace chz::kiosk
