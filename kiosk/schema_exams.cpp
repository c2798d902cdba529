#include "kiosk/schema.h"

namespace chz::kiosk::schema {

Status exams(Db& db) {
  (void)db;
  return OkStatus();
}

}  // namespace chz::kiosk::schema
