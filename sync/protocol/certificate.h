// 培训合格证 (training certificate): the canonical encoding both ends sign
// and verify, the QR payload, the published device-key list and offline
// verification that names exactly which check failed. Pure code, no I/O.
//
// Canonical encoding: a JSON object with keys sorted, no spaces, UTF-8 as is,
// strings and integers only (scores are strings like "86.5"). The device
// signs "chizheng-certificate-v1\n" + canonical with its Ed25519 key.
//
// QR payload: "CHZC1.<N>.<body>.<sig>" where body = base64url(canonical),
// sig = base64url(64-byte signature) and N = the character count of
// "<body>.<sig>", so a truncated scan is told apart from an altered one.
//
// Document (what `certificate-json` writes and verify-certificate FILE
// reads): {"certificate": {fields}, "signature": "<base64url>", "qr":
// "<payload>", "status": "待确认"|"已确认"|"驳回"|"注销", "confirmations":
// [county-signed confirmations, certificate_confirm.h], ...}. A field
// changed in the document but not in the signed QR is reported by name;
// the status counts only as far as a county signature covers it.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/crypto.h"
#include "common/status.h"

namespace chz::sync {

// Record kinds of exams and certificates (facts; bodies canonical JSON):
//  exam_attempt: {"attempt","sitting","class","course","content_version",
//    "person","attempt_no","started_ms","submitted_ms","reason"
//    ("manual"|"timeout"),"theory_x100","pass_x100","passed" (1|0),
//    "downtime_ms","items":[{"q","order","answer","earned_x100",
//    "points_x100","elapsed_ms"}]}
//  practical_score: {"id","person","course","class","score_x100",
//    "assessor","second_assessor" (or ""),"at_ms","corrects" (or "")}
//  certificate: {"number","person","course","attempt","practical",
//    "canonical","signature" (base64url),"device"}
//  certificate_confirm (from the county): a county-signed decision,
//    {"at_ms","number","qual_kind","qual_number","reason","status","v",
//    "signature"}; see certificate_confirm.h
namespace kinds {
inline constexpr std::string_view kExamAttempt = "exam_attempt";
inline constexpr std::string_view kPracticalScore = "practical_score";
inline constexpr std::string_view kCertificate = "certificate";
inline constexpr std::string_view kCertificateConfirm = "certificate_confirm";
}  // namespace kinds

inline constexpr std::string_view kCertStatusPending = "待确认";
inline constexpr std::string_view kCertStatusConfirmed = "已确认";

// The signed content of a certificate.
struct CertificateData {
  std::string number;      // "<site>-<device hex>-<seq 6 digits>"
  std::string name;        // 姓名, as registered (rare characters kept)
  std::string id_masked;   // "1405**********123X"
  std::string occupation;  // 职业(工种) / 专项职业能力
  std::string level;       // content::level_name, e.g. "五级/初级工"
  std::string course_id;
  std::int64_t hours = 0;       // credited 学时
  std::string theory_score;     // "86.5"
  std::string practical_score;  // "72"
  std::string date;             // issue date, China time, "YYYY-MM-DD"
  std::string site_id;
  std::string site_name;  // 发证培训点
  std::string device_id;  // issuing kiosk
  std::string key_id;     // key_id() of the signing public key
  bool operator==(const CertificateData&) const = default;
};

// Every signed field: canonical JSON key and the Chinese label verification
// messages use.
struct CertificateField {
  std::string_view key;
  std::string_view label;
};
std::vector<CertificateField> certificate_fields();

// First 16 hex characters of SHA-256(public key): names the signing key.
std::string key_id(const Key32& pub);

// Canonical JSON text of `d` (see top of file).
std::string canonical_certificate(const CertificateData& d);
// Parses canonical (or any JSON object holding every field) into data.
// kInvalidArgument naming the missing or mistyped field.
Result<CertificateData> parse_certificate_json(std::string_view json);
// The bytes the device signs: domain tag + canonical.
std::string certificate_signing_bytes(const CertificateData& d);

Result<std::array<std::uint8_t, 64>> sign_certificate(const CertificateData& d,
                                                      const Key32& secret);
std::string qr_payload(const CertificateData& d, ByteView signature);

// The county's published device keys (retired ones too). JSON:
//   {"devices":[{"device_id":"kiosk-…","public_key":"<64 hex>"|"ed25519:<hex>",
//                "site_id":"…","retired_ms":0}, …]}
// or a plain object {"kiosk-…": "<hex>", …}. A device may appear more than
// once (key rotation).
struct DeviceKeys {
  std::map<std::string, std::vector<Key32>> by_device;
};
Result<DeviceKeys> parse_device_keys(std::string_view json);
std::string device_keys_json(const DeviceKeys& k);

// What the QR code holds when the kiosk knows its county server: the URL of
// the county's public /verify page with the payload in the fragment (a
// phone camera opens it; the fragment never reaches server logs):
// "<server_url>/verify#<payload>". Without a server URL: the bare payload.
std::string verify_url(std::string_view server_url, std::string_view payload);
// The payload inside `text`: a bare "CHZC…" payload, or a /verify URL
// carrying it as #… or ?p=… (percent-encoded or not); surrounding spaces
// are ignored. kInvalidArgument "cert.not_payload" otherwise.
Result<std::string> payload_from_text(std::string_view text);

// Verifies a QR payload offline. Returns the signed data, or the first
// failed check, each with its own message and Status key:
//   "cert.not_payload"  kInvalidArgument  not a Chizheng certificate payload
//   "cert.truncated"    kInvalidArgument  fewer characters than announced
//   "cert.format"       kInvalidArgument  damaged base64/JSON/signature size
//   "cert.unknown_device" kUnauthenticated issuing device not published
//   "cert.wrong_key"    kUnauthenticated  signed with a key not published
//                                          for that device
//   "cert.signature"    kTampered         content altered or forged
Result<CertificateData> verify_qr_payload(std::string_view payload, const DeviceKeys& keys);

// Verifies a document (see top) or, if `text` starts with "CHZC" or is a
// /verify URL, a bare payload. On top of the payload checks: "cert.field_altered" (kTampered)
// names every document field that differs from the signed value, and
// "cert.doc_signature" when the document's own signature does not verify.
Result<CertificateData> verify_certificate_text(std::string_view text, const DeviceKeys& keys);

// The "status" a document states (e.g. "已确认"), "" if it states none. No
// signature covers it: the device signs only certificate_fields(), and it
// cannot sign a status the county sets later. The certificate's status is
// that of its latest valid county-signed confirmation
// (check_document_confirmations); this claim is shown as unverified.
std::string unsigned_document_status(std::string_view text);

}  // namespace chz::sync
