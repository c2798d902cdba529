// Certificate QR payloads and documents as a phone camera, the /verify page
// or `verify-certificate FILE` hand them over (sync/protocol/certificate.h,
// certificate_confirm.h): payload_from_text, verify_qr_payload and
// verify_certificate_text under a published key list holding the fixed
// device key ("kiosk" for device "kiosk-fuzz"), the key list and
// confirmation parsers, and check_document_confirmations under the fixed
// county key ("county-content"). What verifies must re-encode to itself.
#include <string>

#include "sync/protocol/certificate.h"
#include "sync/protocol/certificate_confirm.h"
#include "tests/fuzz/fuzz_util.h"

using namespace chz;

namespace {
const sync::DeviceKeys& device_keys() {
  static const sync::DeviceKeys k = [] {
    sync::DeviceKeys d;
    d.by_device["kiosk-fuzz"].push_back(
        ed25519_public_from_secret(fuzz::fixed_key("kiosk")).value());
    return d;
  }();
  return k;
}
const Key32& county_pub() {
  static const Key32 k = ed25519_public_from_secret(fuzz::fixed_key("county-content")).value();
  return k;
}
void check_roundtrip(const sync::CertificateData& d) {
  auto back = sync::parse_certificate_json(sync::canonical_certificate(d));
  FUZZ_CHECK(back.ok() && *back == d);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = fuzz::as_view(data, size);
  auto payload = sync::payload_from_text(in);
  if (payload.ok()) {
    FUZZ_CHECK(payload->starts_with("CHZC"));
    auto v = sync::verify_qr_payload(*payload, device_keys());
    if (v.ok()) check_roundtrip(*v);
  } else {
    FUZZ_CHECK(payload.status().key() == "cert.not_payload");
  }
  auto doc = sync::verify_certificate_text(in, device_keys());
  if (doc.ok())
    check_roundtrip(*doc);
  else
    FUZZ_CHECK(doc.status().key().starts_with("cert."));
  if (auto c = sync::parse_certificate_json(in); c.ok()) check_roundtrip(*c);
  (void)sync::unsigned_document_status(in);
  if (auto k = sync::parse_device_keys(in); k.ok()) {
    auto back = sync::parse_device_keys(sync::device_keys_json(*k));
    FUZZ_CHECK(back.ok() && back->by_device == k->by_device);
  }
  if (auto s = sync::parse_signed_confirmation(in); s.ok()) {
    auto back = sync::parse_signed_confirmation(sync::signed_confirmation_json(*s));
    FUZZ_CHECK(back.ok() && back->c == s->c && back->signature == s->signature);
    if (sync::verify_confirmation(*s, county_pub()).ok())
      FUZZ_CHECK(sync::check_confirmation_fields(s->c).ok());
  }
  (void)sync::verify_confirmation_json(in, county_pub());
  std::string number = doc.ok() ? doc->number : std::string("140521101-a1b2c3d4e5f6-00001");
  auto checks = sync::check_document_confirmations(in, number, &county_pub());
  for (const auto& c : checks.checks)
    if (c.status.ok()) FUZZ_CHECK(c.s.c.number == number);
  (void)checks.status();
  (void)sync::check_document_confirmations(in, number, nullptr);
  return 0;
}
