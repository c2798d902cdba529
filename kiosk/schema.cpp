#include "kiosk/schema.h"

#include "kiosk/audit.h"
#include "kiosk/outbox_checks.h"
#include "kiosk/store.h"

namespace chz::kiosk {

std::span<const Migration> kiosk_migrations() {
  static const Migration kList[] = {
      {1, "core", schema::core},
      {2, "domain", schema::domain},
      {3, "exams", schema::exams},
      {4, "content", schema::content},
      {5, "certificate confirmations", schema::confirmations},
  };
  return kList;
}

std::span<const StoreCheck> kiosk_store_checks() {
  // Areas append their deep checks here (audit chain, sequence gaps...).
  static const StoreCheck kChecks[] = {
      {"settings",
       [](Db& db) -> Status { return db.query_int("SELECT count(*) FROM settings").status(); }},
      {"audit chain", verify_audit_chain},
      {"outbox sequence", verify_outbox_sequence},
  };
  return kChecks;
}

}  // namespace chz::kiosk
