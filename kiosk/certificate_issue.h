// 培训合格证 at the kiosk: issued on a pass (theory and practical each at or
// above the course's thresholds), numbered uniquely across kiosks, signed
// by this device's Ed25519 key over the
// canonical encoding (sync/protocol/certificate.h), recorded as a
// `certificate` fact and audited. Status 待确认 until the county's signed
// certificate_confirm record arrives (apply_exam_record, which checks the
// county signature) and sets 已确认 (perhaps with a 职业技能等级证书 /
// 专项职业能力证书 number), 驳回 with a reason, or 注销.
//
// Numbers (sync/protocol/cert_number.h): a kiosk enrolled with an area code
// and a device number (settings county.area_code, enroll.device_number)
// issues "140521-26-017-0042", the serial counting per China-time year of
// the issue date; one enrolled before keeps "<site code>-<device hex>-<6-digit
// seq>". Either way the number is taken in the transaction that stores the
// certificate, and stays unique in the certificates table.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "content/model.h"
#include "kiosk/store.h"
#include "sync/protocol/certificate.h"
#include "sync/protocol/certificate_confirm.h"
#include "sync/protocol/record.h"

namespace chz::kiosk::exam {

struct Certificate {
  sync::CertificateData data;
  std::string signature;  // base64url
  std::string qr;         // sync::qr_payload
  // What the QR code shows: the county's /verify URL carrying the payload
  // (sync::verify_url) once the kiosk is enrolled, else the bare payload.
  std::string qr_text;
  std::string status;  // 待确认 | 已确认 | 驳回 | 注销 (the latest confirmation's)
  std::string qual_kind, qual_number;
  std::string reason;  // the county's reason (驳回, 注销)
  // Every county-signed confirmation received, oldest first, each verified
  // on arrival; the document carries them so others can check them again.
  std::vector<sync::SignedConfirmation> confirmations;
  std::string person, attempt_id, practical_uuid;
  std::int64_t issued_ms = 0, confirmed_ms = 0;
  // The verifiable document (sync/protocol/certificate.h, "Document").
  std::string document_json() const;
};

// Issues the person's certificate for `course`, or returns the one already
// issued. Refusals: "cert.theory_not_passed", "cert.practical_missing",
// "cert.practical_not_passed" (kFailedPrecondition), "device.not_enrolled"
// (no site yet), "person.unknown", "cert.serial_exhausted" (kOutOfRange:
// the 10,000th certificate of this kiosk in one year).
Result<Certificate> issue_certificate(Store& s, const Clock& clock, const content::Course& course,
                                      const std::string& person);
// kNotFound "cert.unknown". `number` as typed: a short number with or
// without its dashes ("140521260170042"), or an old-format one.
Result<Certificate> get_certificate(Store& s, const std::string& number);
Result<std::vector<Certificate>> certificates_of(Store& s, const std::string& person);

// Applies exam and certificate records from the county's feed (for
// KioskRecordSink's ExtraProjector): other kiosks' exam_attempt (retake
// counts), practical_score, and certificate_confirm. Idempotent by uuid.
// A certificate_confirm must verify against the setting county.content_pub:
// otherwise "cert.confirm_no_key" (kFailedPrecondition), or the failed
// check of sync::verify_confirmation ("confirm.unsigned", "confirm.format",
// "confirm.signature"), and nothing is applied (the sink's transaction, and
// so the sync pass, fails with that message).
// REQUIRES: inside a transaction. Other kinds: ignored (OK).
Status apply_exam_record(Db& db, const sync::Record& r);

}  // namespace chz::kiosk::exam
