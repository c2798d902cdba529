#include "kiosk/staff.h"

#include <array>

#include "common/crypto.h"
#include "common/uuid.h"
#include "kiosk/audit.h"
#include "kiosk/domain_write.h"
#include "kiosk/kiosk_time.h"
#include "kiosk/people.h"

namespace chz::kiosk {

namespace k = sync::kinds;
using nlohmann::json;

namespace {

struct LockState {
  std::int64_t failures = 0, locked_until = 0;
};

Result<LockState> lock_state(Db& db, std::string_view id) {
  CHZ_ASSIGN_OR_RETURN(Stmt st,
                       db.prepare("SELECT failures, locked_until FROM staff_lock WHERE staff = ?"));
  st.bind(1, id);
  CHZ_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return LockState{};
  return LockState{st.int64(0), st.int64(1)};
}

Status save_lock(Db& db, std::string_view id, const LockState& s) {
  return db.run("INSERT OR REPLACE INTO staff_lock(staff, failures, locked_until) VALUES (?, ?, ?)",
                id, s.failures, s.locked_until);
}

Status locked_status(std::int64_t until, std::int64_t now) {
  std::int64_t minutes = (until - now + 59'999) / 60'000;
  return Status(Code::kLocked, "locked for " + std::to_string(minutes) + " more minutes",
                "staff.locked");
}

// Counts one failed attempt; locks at the limit. Audits. In a transaction.
// Leaves in `failure` the Status the caller reports (locked at the limit).
Status count_failure(Db& db, const Clock& clock, std::string_view id, std::int64_t now,
                     const PinPolicy& p, Status& failure) {
  CHZ_ASSIGN_OR_RETURN(LockState s, lock_state(db, id));
  ++s.failures;
  std::string actor = "staff:" + std::string(id);
  CHZ_TRY(append_audit(db, clock, actor, "staff.sign_in_failed",
                       {{"failures", s.failures}, {"reason", failure.key()}}));
  if (s.failures >= p.max_failures) {
    s.failures = 0;
    s.locked_until = now + p.lockout_ms;
    CHZ_TRY(append_audit(db, clock, actor, "staff.lockout", {{"until_ms", s.locked_until}}));
    failure = locked_status(s.locked_until, now);
  }
  return save_lock(db, id, s);
}

Result<StaffMember> read_staff(Db& db, std::string_view id, std::string* pin = nullptr,
                               std::string* code = nullptr) {
  CHZ_ASSIGN_OR_RETURN(Stmt st,
                       db.prepare("SELECT id, name, site, role, active, pin, setup_code FROM staff "
                                  "WHERE id = ? AND deleted = 0"));
  st.bind(1, id);
  CHZ_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return Status(Code::kNotFound, "no such staff member", "staff.unknown");
  StaffMember m{st.text(0), st.text(1), st.text(2)};
  auto role = parse_role(st.text(3));
  m.role = role.ok() ? *role : Role::kTrainer;
  m.active = st.int64(4) != 0;
  m.has_pin = !st.text(5).empty();
  if (pin) *pin = st.text(5);
  if (code) *code = st.text(6);
  return m;
}

}  // namespace

Status check_pin_format(std::string_view pin) {
  if (pin.size() != 6) return Status(Code::kInvalidArgument, "a PIN has 6 digits", "pin.format");
  for (char c : pin)
    if (c < '0' || c > '9')
      return Status(Code::kInvalidArgument, "a PIN has 6 digits", "pin.format");
  bool same = true, up = true, down = true;
  for (size_t i = 1; i < pin.size(); ++i) {
    same = same && pin[i] == pin[i - 1];
    up = up && pin[i] == pin[i - 1] + 1;
    down = down && pin[i] == pin[i - 1] - 1;
  }
  if (same || up || down)
    return Status(Code::kInvalidArgument, "this PIN is too easy to guess", "pin.weak");
  return OkStatus();
}

Result<StaffAdded> add_staff(Db& db, const Clock& clock, const Actor& admin, const NewStaff& s,
                             const PinPolicy& policy) {
  CHZ_ASSIGN_OR_RETURN(std::string name, normalize_name(s.name));
  if (s.role != Role::kTrainer && s.role != Role::kAssessor && s.role != Role::kSiteAdmin)
    return Status(Code::kInvalidArgument, "unknown staff role", "staff.role");
  StaffAdded out;
  std::array<std::uint8_t, 8> rnd;
  random_bytes(rnd);
  for (auto b : rnd) out.setup_code += static_cast<char>('0' + b % 10);
  std::string code_hash = k::hash_staff_secret(out.setup_code, policy.iterations);
  CHZ_TRY(db.transaction([&]() -> Status {
    CHZ_TRY(require_role(db, admin, {Role::kSiteAdmin, Role::kSystem}));
    CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
    out.id = "staff-" + new_uuid_text(now);
    json body = {{"entity", k::entity(k::kStaff, out.id)},
                 {"name", name},
                 {"role", role_name(s.role)},
                 {"site", s.site},
                 {"active", 1},
                 {"pin", ""},
                 {"setup_code", code_hash},
                 {"deleted", 0}};
    return write_record(db, clock, admin, k::kStaff, body, "staff.add",
                        {{"staff", out.id}, {"role", role_name(s.role)}})
        .status();
  }));
  return out;
}

Status set_pin(Db& db, const Clock& clock, std::string_view staff_id, std::string_view setup_code,
               std::string_view new_pin, const PinPolicy& policy) {
  CHZ_TRY(check_pin_format(new_pin));
  std::string pin_hash = k::hash_staff_secret(new_pin, policy.iterations);
  Status outcome;
  CHZ_TRY(db.transaction([&]() -> Status {
    std::string code;
    CHZ_ASSIGN_OR_RETURN(StaffMember m, read_staff(db, staff_id, nullptr, &code));
    CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
    CHZ_ASSIGN_OR_RETURN(LockState ls, lock_state(db, staff_id));
    if (ls.locked_until > now) {
      outcome = locked_status(ls.locked_until, now);
      return OkStatus();
    }
    if (code.empty()) {
      outcome = Status(Code::kFailedPrecondition, "no setup code is pending; ask the county",
                       "staff.no_code");
      return OkStatus();
    }
    if (!k::verify_staff_secret(code, setup_code)) {
      outcome = Status(Code::kUnauthenticated, "wrong setup code", "staff.code_wrong");
      return count_failure(db, clock, staff_id, now, policy, outcome);
    }
    CHZ_TRY(save_lock(db, staff_id, {}));
    Actor self{m.role, m.id};
    json body = {{"entity", k::entity(k::kStaff, m.id)}, {"pin", pin_hash}, {"setup_code", ""}};
    return write_record(db, clock, self, k::kStaff, body, "staff.pin_set", {{"staff", m.id}})
        .status();
  }));
  return outcome;
}

Result<Actor> sign_in(Db& db, const Clock& clock, std::string_view staff_id, std::string_view pin,
                      const PinPolicy& policy) {
  Status outcome;
  Actor actor;
  CHZ_TRY(db.transaction([&]() -> Status {
    std::string stored;
    CHZ_ASSIGN_OR_RETURN(StaffMember m, read_staff(db, staff_id, &stored));
    CHZ_ASSIGN_OR_RETURN(std::int64_t now, kiosk_now(db, clock));
    std::string who = "staff:" + m.id;
    CHZ_ASSIGN_OR_RETURN(LockState ls, lock_state(db, staff_id));
    if (ls.locked_until > now) {
      outcome = locked_status(ls.locked_until, now);
      return append_audit(db, clock, who, "staff.sign_in_refused", {{"reason", "staff.locked"}});
    }
    if (!m.active) {
      outcome = Status(Code::kPermissionDenied, "this account is not active", "staff.inactive");
      return append_audit(db, clock, who, "staff.sign_in_refused", {{"reason", "staff.inactive"}});
    }
    if (stored.empty()) {
      outcome = Status(Code::kFailedPrecondition, "no PIN set yet; use the county's setup code",
                       "pin.not_set");
      return OkStatus();
    }
    if (!k::verify_staff_secret(stored, pin)) {
      outcome = Status(Code::kUnauthenticated, "wrong PIN", "staff.pin_wrong");
      return count_failure(db, clock, staff_id, now, policy, outcome);
    }
    CHZ_TRY(save_lock(db, staff_id, {}));
    actor = Actor{m.role, m.id};
    return append_audit(db, clock, who, "staff.sign_in", {{"role", role_name(m.role)}});
  }));
  if (!outcome.ok()) return outcome;
  return actor;
}

Result<std::vector<StaffMember>> list_staff(Db& db) {
  CHZ_ASSIGN_OR_RETURN(
      Stmt st, db.prepare("SELECT id FROM staff WHERE deleted = 0 ORDER BY role, name, id"));
  std::vector<std::string> ids;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    ids.push_back(st.text(0));
  }
  std::vector<StaffMember> out;
  for (const auto& id : ids) {
    CHZ_ASSIGN_OR_RETURN(StaffMember m, read_staff(db, id));
    out.push_back(std::move(m));
  }
  return out;
}

Result<StaffMember> get_staff(Db& db, std::string_view id) {
  return read_staff(db, id);
}

}  // namespace chz::kiosk
