// Cryptographic primitives over OpenSSL 3, with our error values.
// Keys are raw bytes; no global state; nothing here logs.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace chz {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;
using Key32 = std::array<std::uint8_t, 32>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string to_string(ByteView b) {
  return {b.begin(), b.end()};
}

// Cryptographically secure random bytes (OpenSSL RAND_bytes). Aborts if the
// generator fails: there is no safe way on without randomness.
void random_bytes(std::span<std::uint8_t> out);
Key32 random_key32();

Key32 sha256(ByteView data);
inline Key32 sha256(std::string_view s) {
  return sha256(as_bytes(s));
}
Key32 hmac_sha256(ByteView key, ByteView data);
// Constant-time comparison.
bool equal_ct(ByteView a, ByteView b);

std::string hex(ByteView b);
// Accepts upper or lower case; kInvalidArgument on odd length or non-hex.
Result<Bytes> unhex(std::string_view s);
std::string base64url(ByteView b);  // no padding
Result<Bytes> unbase64url(std::string_view s);

// Ed25519 (RFC 8032): 32-byte private seed and public key, 64-byte signature.
struct Ed25519KeyPair {
  Key32 secret;  // the seed
  Key32 pub;
};
Ed25519KeyPair ed25519_generate();
// Recomputes the public key from the seed.
Result<Key32> ed25519_public_from_secret(const Key32& secret);
Result<std::array<std::uint8_t, 64>> ed25519_sign(const Key32& secret, ByteView msg);
// OK iff `sig` is a valid signature of `msg` under `pub`; kTampered otherwise.
Status ed25519_verify(const Key32& pub, ByteView msg, ByteView sig);

// PBKDF2-HMAC-SHA256.
Key32 pbkdf2_sha256(std::string_view password, ByteView salt, int iterations);

}  // namespace chz
