// The county's decision on a 培训合格证: confirmed (已确认, perhaps with the
// 职业技能等级证书 / 专项职业能力证书 number), rejected (驳回, with a reason)
// or revoked (注销). Kiosks issue certificates as 待确认; only a confirmation
// signed with the county's content key sets any other status. Pure code.
//
// Canonical encoding: like the certificate's (sorted keys, no spaces, UTF-8
// as is, strings and integers only) over {at_ms, number, qual_kind,
// qual_number, reason, status, v: 1}. The county signs
// "chizheng-certificate-confirm-v1\n" + canonical with Ed25519.
//
// Signed form (the body of a `certificate_confirm` record, and each entry of
// a certificate document's "confirmations" list): the canonical fields plus
// "signature": base64url of the 64-byte signature.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/crypto.h"
#include "common/status.h"

namespace chz::sync {

inline constexpr std::string_view kCertStatusRejected = "驳回";
inline constexpr std::string_view kCertStatusRevoked = "注销";
inline constexpr std::string_view kQualSkillLevel = "职业技能等级证书";
inline constexpr std::string_view kQualSpecial = "专项职业能力证书";

struct CertificateConfirmation {
  std::string number;       // the certificate's number
  std::string status;       // 已确认 | 驳回 | 注销
  std::string qual_kind;    // kQualSkillLevel | kQualSpecial | ""
  std::string qual_number;  // that certificate's number, "" if none
  std::string reason;       // required for 驳回, free text otherwise
  std::int64_t at_ms = 0;   // when the county decided (server time)
  bool operator==(const CertificateConfirmation&) const = default;
};

struct SignedConfirmation {
  CertificateConfirmation c;
  std::string signature;  // base64url, "" when the record carries none
};

// Every signed field: canonical key and the Chinese label reports use.
struct ConfirmationField {
  std::string_view key;
  std::string_view label;
};
std::vector<ConfirmationField> confirmation_fields();

// OK iff the fields make a decision the county may sign: status one of the
// three, qual_kind one of the two or "", a qual_number only with a
// qual_kind, a reason for 驳回. kInvalidArgument "confirm.fields" naming what.
Status check_confirmation_fields(const CertificateConfirmation& c);

std::string canonical_confirmation(const CertificateConfirmation& c);
// The bytes the county signs: domain tag + canonical.
std::string confirmation_signing_bytes(const CertificateConfirmation& c);
// Checks the fields, then signs with the county content key's secret half.
Result<std::array<std::uint8_t, 64>> sign_confirmation(const CertificateConfirmation& c,
                                                       const Key32& county_secret);
// The signed form (see top) as canonical JSON text.
std::string signed_confirmation_json(const SignedConfirmation& s);
// Parses the signed form; a missing "signature" parses to "". Fields missing
// or mistyped: kInvalidArgument "confirm.format".
Result<SignedConfirmation> parse_signed_confirmation(std::string_view json);

// Verifies a signed confirmation against the county's public content key.
// Named failures:
//   "confirm.unsigned"  kUnauthenticated  carries no signature
//   "confirm.format"    kInvalidArgument  signature not 64 bytes of base64url
//   "confirm.signature" kTampered         a field altered, or another key
Status verify_confirmation(const SignedConfirmation& s, const Key32& county_pub);
// Parse + verify: the record body of a certificate_confirm.
Result<CertificateConfirmation> verify_confirmation_json(std::string_view json,
                                                         const Key32& county_pub);

// A certificate document's confirmations, each checked: OK iff signed by
// the county key and about `number` ("confirm.other_certificate" otherwise;
// "confirm.no_key" kFailedPrecondition when no county key is known).
struct ConfirmationCheck {
  SignedConfirmation s;
  Status status;
};
struct DocumentConfirmations {
  std::vector<ConfirmationCheck> checks;  // in document order
  // The valid one with the highest at_ms (later in the list wins a tie).
  std::optional<CertificateConfirmation> latest;
  // latest->status, or 待确认 when no confirmation is valid.
  std::string status() const;
};
// `doc` is a certificate document (certificate.h, "Document"); one without a
// "confirmations" list has none. An entry that does not parse is reported
// as a check with "confirm.format".
DocumentConfirmations check_document_confirmations(std::string_view doc, std::string_view number,
                                                   const Key32* county_pub);

}  // namespace chz::sync
