// The county's decisions on kiosk-issued 培训合格证: which certificates wait
// for one, and confirming (已确认, with the 职业技能等级证书 / 专项职业能力证书
// number) or rejecting (驳回, with a reason) them as a county-signed
// `certificate_confirm` record on the feed of the certificate's site
// (sync/protocol/certificate_confirm.h), so its kiosk receives it.
//
// Reading is a scan through the store interface: every device's records
// (records_of) for `certificate` records and the county's own for decisions.
// Correct on both backends and linear in everything stored; the county read
// model replaces it.
#pragma once

#include <string>
#include <vector>

#include "sync/protocol/certificate.h"
#include "sync/protocol/certificate_confirm.h"
#include "sync/server/county.h"
#include "sync/server/store.h"

namespace chz::server {

struct IssuedCertificate {
  sync::CertificateData data;
  std::string site;    // the issuing device's site (whose feed gets the decision)
  std::string device;  // the record's origin
  // OK iff the device signature verifies against the key the server holds
  // for that device; otherwise the failed check (sync::verify_qr_payload).
  Status device_signature;
};

// Certificates issued at kiosks with no county decision yet, in device and
// seq order.
Result<std::vector<IssuedCertificate>> pending_certificates(ServerStore& s);

// The surname and a star ("张*"): listings never show a name in full.
std::string mask_name(std::string_view name);

struct CertificateDecision {
  std::string number;
  std::string status;  // sync::kCertStatusConfirmed | kCertStatusRejected | kCertStatusRevoked
  std::string qual_kind, qual_number, reason;
};
struct DecisionOutcome {
  sync::CertificateConfirmation decision;  // what was written, or the earlier one
  std::string site;
  bool written = false;  // false: the same decision was already there
};

// Signs `d` with the county content key and appends it as ONE county record
// to the site of the certificate. `d.number` as typed: a short number with
// or without its dashes ("140521260170042" is "140521-26-017-0042"), or an
// old-format "<site>-<device hex>-<seq>" one. Idempotent: the same status again writes
// nothing (written = false, decision = the earlier one). Refusals, nothing
// written: "cert.unknown" (kNotFound), "cert.device_signature" (kTampered:
// the certificate's device signature does not verify), "cert.decided"
// (kFailedPrecondition: another decision stands, named in the message; the
// one exception: a confirmed certificate may be annulled, 注销),
// "confirm.fields" (kInvalidArgument: e.g. a qual_kind outside the two, a
// rejection without a reason).
Result<DecisionOutcome> decide_certificate(ServerStore& s, const CountyKeys& k,
                                           const CertificateDecision& d, std::int64_t now_ms);

}  // namespace chz::server
