// Public-key boxes over OpenSSL 3: X25519 key agreement, HKDF-SHA256 and
// AES-256-GCM. Used by enrollment (small secrets under the code key) and by
// USB bundles (bundle.h).
#pragma once

#include "common/crypto.h"
#include "common/status.h"

namespace chz::sync {

struct X25519KeyPair {
  Key32 secret;
  Key32 pub;
};
X25519KeyPair x25519_generate();
Result<Key32> x25519_public_from_secret(const Key32& secret);
// The shared secret; kInvalidArgument for an unusable (e.g. all-zero) result.
Result<Key32> x25519_shared(const Key32& secret, const Key32& peer_pub);

Key32 hkdf_sha256(ByteView ikm, ByteView salt, std::string_view info);

// AES-256-GCM with a 12-byte nonce; returns ciphertext || 16-byte tag.
Result<Bytes> aes_gcm_seal(const Key32& key, ByteView nonce, ByteView aad, ByteView plain);
// kTampered if the tag does not verify.
Result<Bytes> aes_gcm_open(const Key32& key, ByteView nonce, ByteView aad, ByteView sealed);

}  // namespace chz::sync
