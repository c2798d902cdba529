// Who is acting: a trainee at the kiosk, a signed-in staff member, or the
// system itself (sync, maintenance). Roles are checked in the core: every
// domain write takes an Actor and refuses (kPermissionDenied) what the role
// may not do, whatever the UI showed.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "common/db.h"

namespace chz::kiosk {

enum class Role { kTrainee, kTrainer, kAssessor, kSiteAdmin, kSystem };

// "trainee", "trainer", "assessor", "site_admin", "system".
std::string_view role_name(Role r);
Result<Role> parse_role(std::string_view s);  // staff roles only

struct Actor {
  Role role = Role::kSystem;
  std::string id;  // staff id, or person key for a trainee; empty for system
  // "staff:<id>", "person:<key>" or "system": how the audit log names it.
  std::string audit_name() const;
  static Actor system() { return {}; }
  static Actor trainee(std::string person_key) { return {Role::kTrainee, std::move(person_key)}; }
};

// OK iff `a` holds one of `roles`; for staff roles also that the staff
// member exists in the store, is active and still has that role.
// kPermissionDenied ("role.denied") otherwise.
Status require_role(Db& db, const Actor& a, std::initializer_list<Role> roles);

}  // namespace chz::kiosk
