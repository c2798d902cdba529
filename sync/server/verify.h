// Certificate verification for the county's public /verify page (a phone
// opens it from a certificate's QR code) and `chizheng-server verify-certificate`: the
// device's signature against the key the county holds for it, then what the
// county knows — the record kiosks uploaded, the county's signed decision,
// and the device's revocation. A certificate the county confirmed before
// its device was revoked stays valid; one issued after the revocation is not.
// Only the certificate's own signed facts are shown (the QR holds them
// anyway); never an ID number in full.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sync/protocol/certificate.h"
#include "sync/server/store.h"

namespace chz::server {

struct Verification {
  // "valid" (确认有效), "pending" (genuine, awaiting the county), "rejected"
  // (驳回), "annulled" (注销), "revoked" (issued after its device was
  // revoked), "unreported" (genuine, the county holds no record of it yet),
  // "altered", "unknown_device", "damaged" (not a whole payload).
  std::string verdict;
  std::string message;         // one Chinese sentence for the page
  bool genuine = false;        // the device signature verified
  sync::CertificateData data;  // the signed facts (when genuine)
  std::string status;          // the county's 已确认 / 驳回 / 注销, "" if none
  std::string qual_kind, qual_number, decided_day;
  bool device_revoked = false;
  std::string revoked_day;  // "" when unknown or not revoked
  // Which fields each signature covers.
  std::vector<std::string> device_signed, county_signed;
};

// Verifies `text` (payload or URL). Refusals are verdicts, not errors:
// only a store failure is an error.
Result<Verification> verify_certificate(ServerStore& s, std::string_view text);

// Every device key the county holds, revoked devices' too, for offline
// verifiers (GET /api/v1/device-keys, `chizheng-server device-keys`): the
// published list of sync/protocol/certificate.h, each entry with its site
// and, for a revoked device, retired_ms (the recorded time, or 1 when it
// was revoked before times were recorded).
Result<std::string> device_keys_document(ServerStore& s);

// Records when `device` was revoked (the first time only), for the rule
// above. Called by every revocation path after ServerStore::revoke_device.
Status record_revocation(ServerStore& s, const std::string& device, std::int64_t now_ms);

}  // namespace chz::server
