#include "kiosk/audit.h"

#include "common/crypto.h"
#include "kiosk/kiosk_time.h"

namespace chz::kiosk {

namespace {

const std::string kGenesis(64, '0');

std::string entry_hash(std::int64_t id, std::int64_t at_ms, std::string_view actor,
                       std::string_view action, std::string_view detail,
                       std::string_view prev_hash) {
  // A JSON array is an unambiguous encoding of the fields (strings escaped).
  nlohmann::json a = nlohmann::json::array({id, at_ms, actor, action, detail, prev_hash});
  return hex(sha256(a.dump()));
}

}  // namespace

Status append_audit(Db& db, const Clock& clock, std::string_view actor, std::string_view action,
                    const nlohmann::json& detail) {
  std::string d;
  try {
    d = detail.dump();
  } catch (const std::exception& e) {
    return Status(Code::kInvalidArgument,
                  std::string("audit detail is not valid UTF-8: ") + e.what());
  }
  CHZ_ASSIGN_OR_RETURN(std::int64_t at, kiosk_now(db, clock));
  CHZ_ASSIGN_OR_RETURN(Stmt last,
                       db.prepare("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1"));
  CHZ_ASSIGN_OR_RETURN(bool row, last.step());
  std::int64_t id = row ? last.int64(0) + 1 : 1;
  std::string prev = row ? last.text(1) : kGenesis;
  std::string h = entry_hash(id, at, actor, action, d, prev);
  return db.run(
      "INSERT INTO audit(id, at_ms, actor, action, detail, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      id, at, actor, action, d, prev, h);
}

Status verify_audit_chain(Db& db) {
  CHZ_ASSIGN_OR_RETURN(Stmt st,
                       db.prepare("SELECT id, at_ms, actor, action, detail, prev_hash, hash "
                                  "FROM audit ORDER BY id"));
  std::int64_t expect_id = 1;
  std::string prev = kGenesis;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    std::int64_t id = st.int64(0);
    auto broken = [&](std::string why) {
      return Status(Code::kTampered, "audit entry " + std::to_string(id) + " is broken: " + why);
    };
    if (id != expect_id)
      return Status(Code::kTampered, "audit entry " + std::to_string(expect_id) +
                                         " is missing (next is " + std::to_string(id) + ")");
    if (st.text(5) != prev) return broken("its link to the previous entry does not match");
    std::string h = entry_hash(id, st.int64(1), st.text(2), st.text(3), st.text(4), st.text(5));
    if (h != st.text(6)) return broken("its content does not match its hash");
    prev = h;
    ++expect_id;
  }
  return OkStatus();
}

Result<std::vector<AuditEntry>> recent_audit(Db& db, std::size_t limit, std::string_view action) {
  CHZ_ASSIGN_OR_RETURN(
      Stmt st,
      db.prepare("SELECT id, at_ms, actor, action, detail FROM audit "
                 "WHERE (COALESCE(?1, '') = '' OR action = ?1) ORDER BY id DESC LIMIT ?2"));
  st.bind(1, action).bind(2, static_cast<std::int64_t>(limit));
  std::vector<AuditEntry> out;
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    out.push_back({st.int64(0), st.int64(1), st.text(2), st.text(3), st.text(4)});
  }
  return out;
}

}  // namespace chz::kiosk
