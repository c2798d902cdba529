// USB bundles: batches that travel on a stick, signed by the sender
// (Ed25519) and encrypted to the recipient (X25519 + AES-256-GCM).
//
//   "CHZU" | u8 version (1) | u32 big-endian header length | header JSON |
//   64-byte Ed25519 signature | AES-256-GCM ciphertext || tag
//
// header JSON: {"kind", "from", "to", "created_ms", "attrs" (object),
// "eph" (hex ephemeral X25519 pub), "nonce" (hex 12 bytes)}.
// key = HKDF-SHA256(X25519(eph, recipient), salt = eph || recipient pub,
// info "chz-bundle-v1"); AAD = everything before the signature minus nothing
// (magic, version, length, header). The signature covers
// "chz-bundle-v1\n" || header || SHA-256(ciphertext || tag).
// A device bundle ("device") carries a wire batch of the device's records;
// a site bundle ("site") carries the site's feed and, in attrs, the county's
// acknowledgement cursor for the device ("ack") and the feed cursor ("feed").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/crypto.h"
#include "common/status.h"

namespace chz::sync {

struct BundleInfo {
  std::string kind;  // "device" | "site"
  std::string from;  // device id or "county"
  std::string to;    // "county" or a device id
  std::int64_t created_ms = 0;
  std::string attrs = "{}";  // a JSON object
};

Result<std::string> seal_bundle(const BundleInfo& info, std::string_view payload,
                                const Key32& sender_secret, const Key32& recipient_pub);
// Reads the header without verifying anything (to find the sender's key).
// kInvalidArgument ("sync.malformed") if it is not a bundle.
Result<BundleInfo> peek_bundle(std::string_view file);
// Verifies the signature (kTampered, "sync.tampered") and decrypts; returns
// the payload. `key_out` gets the bundle's own AES key (one per bundle: the
// sender's key pair is ephemeral), which opens this bundle and no other.
Result<std::string> open_bundle(std::string_view file, const Key32& sender_pub,
                                const Key32& recipient_secret, BundleInfo* info = nullptr,
                                Key32* key_out = nullptr);
// The same with the bundle's AES key instead of the recipient's secret: how
// a level above the county checks a forwarded device bundle (the county
// discloses that one key, sync/protocol/proof.h). A wrong key or altered
// ciphertext is kTampered too.
Result<std::string> open_bundle_with_key(std::string_view file, const Key32& sender_pub,
                                         const Key32& key, BundleInfo* info = nullptr);

}  // namespace chz::sync
