#include "kiosk/schema.h"

namespace chz::kiosk::schema {

Status domain(Db& db) {
  (void)db;
  return OkStatus();
}

}  // namespace chz::kiosk::schema
