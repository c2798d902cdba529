// Deep check of the outbox run by Store::check(): seq runs 1..n without a
// gap, and the acknowledged cursor is within it.
#pragma once

#include "common/db.h"

namespace chz::kiosk {
Status verify_outbox_sequence(Db& db);
}
