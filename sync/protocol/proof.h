// Proofs: how a batch of a device's records reached the county, kept next to
// the records so that a level above (city, province) can verify every record
// back to the device that wrote it, without trusting the county for it.
//
// A record carries no signature of its own; what carried it was signed by the
// device (docs/record-and-sync.md). So the county keeps, per stored batch:
//   "request": the upload's signing headers and its exact body (a CHZB batch):
//              the device's Ed25519 signature over the request
//              (signing.h) covers hex(SHA-256(body)).
//   "bundle":  the USB bundle file as it arrived and that bundle's own
//              AES-256-GCM key. The device signed the header and the hash of
//              the ciphertext; the key (derived from an ephemeral X25519 key,
//              so it opens this one bundle and nothing else) lets the level
//              above decrypt and see that the batch is the one signed,
//              without the county's bundle secret.
//
// On the way up a proof travels as a frame:
//   "CHZP" | u8 version (1) | u32 big-endian header length | header JSON |
//   body bytes
// header JSON: {"device", "kind", "auth" (object)}.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/crypto.h"
#include "common/status.h"
#include "sync/protocol/signing.h"

namespace chz::sync {

inline constexpr std::string_view kProofRequest = "request";
inline constexpr std::string_view kProofBundle = "bundle";

struct Proof {
  std::string device;  // the device the records are of
  std::string kind;    // kProofRequest | kProofBundle
  std::string auth;    // JSON object: request {"method","path","time_ms","counter","signature"};
                       // bundle {"key": hex of the bundle's AES key}
  std::string body;    // the upload body, or the bundle file
};

Proof request_proof(const RequestAuth& a, std::string_view method, std::string_view path,
                    std::string_view body);
Proof bundle_proof(std::string_view device, std::string_view file, const Key32& bundle_key);

// Checks `p` under the device's public key and returns the CHZB batch it
// carries (for a bundle proof of a county's forward bundle, that bundle's
// whole payload: the caller takes the county's batch out of it). A request proof must be the
// device's POST of an upload; any change to headers, path or body is kUnauthenticated
// ("sync.bad_signature"), any change to a bundle or its key kTampered ("sync.tampered"); a proof of
// another device or a malformed one kInvalidArgument ("sync.malformed").
// The records in the batch must still be checked to be the device's own.
Result<std::string> verified_batch(const Proof& p, const Key32& device_pub);

std::string encode_proof(const Proof& p);
// Refuses anything that is not a whole frame ("sync.malformed").
Result<Proof> decode_proof(std::string_view frame);

}  // namespace chz::sync
