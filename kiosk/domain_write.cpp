#include "kiosk/domain_write.h"

#include "kiosk/audit.h"
#include "kiosk/outbox.h"
#include "kiosk/projection.h"

namespace chz::kiosk {

Result<sync::RecordMeta> write_record(Db& db, const Clock& clock, const Actor& actor,
                                      std::string_view kind, const nlohmann::json& body,
                                      std::string_view action, nlohmann::json audit_detail) {
  CHZ_ASSIGN_OR_RETURN(sync::RecordMeta meta, append_record(db, clock, kind, body));
  CHZ_ASSIGN_OR_RETURN(std::string text, canonical_body(body));
  CHZ_TRY(project_record(db, sync::Record{meta, std::string(kind), text}));
  if (!audit_detail.is_object()) audit_detail = nlohmann::json::object();
  audit_detail["record"] = meta.uuid;
  audit_detail["kind"] = kind;
  CHZ_TRY(append_audit(db, clock, actor.audit_name(), action, audit_detail));
  return meta;
}

}  // namespace chz::kiosk
