// Staff: trainers (培训教师), assessors (考评员) and site admins. The county
// creates them and they arrive through sync; a site admin may add one
// offline. Sign-in is: tap your name, then a 6-digit PIN. The first PIN (and
// a reset) needs a one-time code from the county. PINs are stored as salted
// PBKDF2-HMAC-SHA256 hashes; 5 failures lock the account for 15 minutes on
// this kiosk. Every sign-in, failure and lockout is audited.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/db.h"
#include "kiosk/actor.h"
#include "sync/protocol/record_kinds.h"

namespace chz::kiosk {

struct PinPolicy {
  int iterations = sync::kinds::kStaffSecretIterations;
  int max_failures = 5;
  std::int64_t lockout_ms = 15LL * 60 * 1000;
};

struct StaffMember {
  std::string id, name, site;
  Role role = Role::kTrainer;
  bool active = true;
  bool has_pin = false;
};

// 6 digits, not all the same, not a run like 123456 or 654321.
// kInvalidArgument "pin.format" or "pin.weak".
Status check_pin_format(std::string_view pin);

struct NewStaff {
  std::string name;
  Role role = Role::kTrainer;
  std::string site;
};
struct StaffAdded {
  std::string id;
  std::string setup_code;  // 8 digits, shown once to the site admin
};
// A site admin adds a staff member offline (the record syncs to the county).
Result<StaffAdded> add_staff(Db& db, const Clock& clock, const Actor& admin, const NewStaff& s,
                             const PinPolicy& policy = {});

// Sets the PIN with the one-time setup code (first PIN or a county reset);
// the code is spent. kUnauthenticated "staff.code_wrong" (counts toward the
// lockout), kFailedPrecondition "staff.no_code" if no code is pending,
// kLocked "staff.locked" while locked.
Status set_pin(Db& db, const Clock& clock, std::string_view staff_id, std::string_view setup_code,
               std::string_view new_pin, const PinPolicy& policy = {});

// Returns the signed-in actor. kUnauthenticated "staff.pin_wrong";
// kLocked "staff.locked" (the 5th failure locks, and so does any attempt
// while locked, without checking the PIN); kFailedPrecondition
// "pin.not_set"; kNotFound "staff.unknown"; kPermissionDenied
// "staff.inactive". Audited either way.
Result<Actor> sign_in(Db& db, const Clock& clock, std::string_view staff_id, std::string_view pin,
                      const PinPolicy& policy = {});

// Active and inactive staff, by role then name.
Result<std::vector<StaffMember>> list_staff(Db& db);
Result<StaffMember> get_staff(Db& db, std::string_view id);

}  // namespace chz::kiosk
