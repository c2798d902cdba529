#include "sync/protocol/box.h"

#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <memory>

namespace chz::sync {
namespace {
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct CtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct CipherFree {
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
Status crypto_fail(const char* what) {
  return Status(Code::kInternal, std::string("crypto: ") + what);
}
}  // namespace

X25519KeyPair x25519_generate() {
  X25519KeyPair k;
  random_bytes(k.secret);
  k.pub = x25519_public_from_secret(k.secret).value();
  return k;
}

Result<Key32> x25519_public_from_secret(const Key32& secret) {
  Pkey p(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, secret.data(), secret.size()));
  if (!p) return crypto_fail("x25519 key");
  Key32 pub;
  size_t n = pub.size();
  if (EVP_PKEY_get_raw_public_key(p.get(), pub.data(), &n) != 1 || n != 32)
    return crypto_fail("x25519 pub");
  return pub;
}

Result<Key32> x25519_shared(const Key32& secret, const Key32& peer_pub) {
  Pkey me(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, secret.data(), secret.size()));
  Pkey peer(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peer_pub.data(), peer_pub.size()));
  if (!me || !peer) return Status(Code::kInvalidArgument, "bad X25519 key");
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new(me.get(), nullptr));
  Key32 out;
  size_t n = out.size();
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1 ||
      EVP_PKEY_derive(ctx.get(), out.data(), &n) != 1 || n != 32)
    return Status(Code::kInvalidArgument, "X25519 agreement failed");
  return out;
}

Key32 hkdf_sha256(ByteView ikm, ByteView salt, std::string_view info) {
  // HKDF (RFC 5869) with one output block, built on HMAC-SHA256.
  Key32 prk = hmac_sha256(salt, ikm);
  std::string t(info);
  t.push_back('\x01');
  return hmac_sha256(prk, as_bytes(t));
}

Result<Bytes> aes_gcm_seal(const Key32& key, ByteView nonce, ByteView aad, ByteView plain) {
  if (nonce.size() != 12) return Status(Code::kInvalidArgument, "nonce must be 12 bytes");
  std::unique_ptr<EVP_CIPHER_CTX, CipherFree> c(EVP_CIPHER_CTX_new());
  Bytes out(plain.size() + 16);
  int n = 0, m = 0;
  if (!c ||
      EVP_EncryptInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1 ||
      (!aad.empty() &&
       EVP_EncryptUpdate(c.get(), nullptr, &n, aad.data(), static_cast<int>(aad.size())) != 1) ||
      EVP_EncryptUpdate(c.get(), out.data(), &n, plain.data(), static_cast<int>(plain.size())) !=
          1 ||
      EVP_EncryptFinal_ex(c.get(), out.data() + n, &m) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_GET_TAG, 16, out.data() + plain.size()) != 1)
    return crypto_fail("aes-gcm seal");
  return out;
}

Result<Bytes> aes_gcm_open(const Key32& key, ByteView nonce, ByteView aad, ByteView sealed) {
  auto tampered = [] {
    return Status(Code::kTampered, "encrypted data does not verify", "sync.tampered");
  };
  if (nonce.size() != 12 || sealed.size() < 16) return tampered();
  std::unique_ptr<EVP_CIPHER_CTX, CipherFree> c(EVP_CIPHER_CTX_new());
  std::size_t len = sealed.size() - 16;
  Bytes out(len);
  Bytes tag(sealed.end() - 16, sealed.end());
  int n = 0, m = 0;
  if (!c ||
      EVP_DecryptInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1 ||
      (!aad.empty() &&
       EVP_DecryptUpdate(c.get(), nullptr, &n, aad.data(), static_cast<int>(aad.size())) != 1) ||
      EVP_DecryptUpdate(c.get(), out.data(), &n, sealed.data(), static_cast<int>(len)) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_SET_TAG, 16, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(c.get(), out.data() + n, &m) != 1)
    return tampered();
  return out;
}

}  // namespace chz::sync
