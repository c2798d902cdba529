#include "kiosk/actor.h"

namespace chz::kiosk {

std::string_view role_name(Role r) {
  switch (r) {
    case Role::kTrainee:
      return "trainee";
    case Role::kTrainer:
      return "trainer";
    case Role::kAssessor:
      return "assessor";
    case Role::kSiteAdmin:
      return "site_admin";
    case Role::kSystem:
      return "system";
  }
  return "system";
}

Result<Role> parse_role(std::string_view s) {
  if (s == "trainer") return Role::kTrainer;
  if (s == "assessor") return Role::kAssessor;
  if (s == "site_admin") return Role::kSiteAdmin;
  return Status(Code::kInvalidArgument, "unknown staff role", "staff.role");
}

std::string Actor::audit_name() const {
  switch (role) {
    case Role::kTrainee:
      return "person:" + id;
    case Role::kSystem:
      return "system";
    default:
      return "staff:" + id;
  }
}

Status require_role(Db& db, const Actor& a, std::initializer_list<Role> roles) {
  bool listed = false;
  for (Role r : roles) listed = listed || r == a.role;
  auto denied = [&] {
    return Status(Code::kPermissionDenied,
                  std::string("a ") + std::string(role_name(a.role)) + " may not do this",
                  "role.denied");
  };
  if (!listed) return denied();
  if (a.role == Role::kTrainee || a.role == Role::kSystem) return OkStatus();
  auto n = db.query_int(
      "SELECT count(*) FROM staff WHERE id = ? AND role = ? AND active = 1 "
      "AND deleted = 0",
      a.id, role_name(a.role));
  if (!n.ok()) return n.status();
  if (*n == 0) return denied();
  return OkStatus();
}

}  // namespace chz::kiosk
