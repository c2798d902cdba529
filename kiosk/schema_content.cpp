#include "kiosk/schema.h"

namespace chz::kiosk::schema {

// Deliberately empty: see schema.h (kept for the version numbering).
Status content(Db& db) {
  (void)db;
  return OkStatus();
}

}  // namespace chz::kiosk::schema
