#include "common/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <memory>

namespace chz {

void random_bytes(std::span<std::uint8_t> out) {
  if (out.empty()) return;
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) std::abort();
}

Key32 random_key32() {
  Key32 k;
  random_bytes(k);
  return k;
}

Key32 sha256(ByteView data) {
  Key32 out;
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

Key32 hmac_sha256(ByteView key, ByteView data) {
  Key32 out;
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(),
       &len);
  return out;
}

bool equal_ct(ByteView a, ByteView b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string hex(ByteView b) {
  static const char* d = "0123456789abcdef";
  std::string s;
  s.reserve(b.size() * 2);
  for (auto c : b) {
    s.push_back(d[c >> 4]);
    s.push_back(d[c & 15]);
  }
  return s;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<Bytes> unhex(std::string_view s) {
  if (s.size() % 2) return Status(Code::kInvalidArgument, "hex text has odd length");
  Bytes out(s.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return Status(Code::kInvalidArgument, "not hex text");
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return out;
}

static const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(ByteView b) {
  std::string s;
  s.reserve((b.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= b.size(); i += 3) {
    std::uint32_t v = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    for (int k = 3; k >= 0; --k) s.push_back(kB64[(v >> (6 * k)) & 63]);
  }
  size_t rest = b.size() - i;
  if (rest == 1) {
    std::uint32_t v = b[i] << 16;
    s.push_back(kB64[(v >> 18) & 63]);
    s.push_back(kB64[(v >> 12) & 63]);
  } else if (rest == 2) {
    std::uint32_t v = (b[i] << 16) | (b[i + 1] << 8);
    s.push_back(kB64[(v >> 18) & 63]);
    s.push_back(kB64[(v >> 12) & 63]);
    s.push_back(kB64[(v >> 6) & 63]);
  }
  return s;
}

Result<Bytes> unbase64url(std::string_view s) {
  int map[256];
  for (int& m : map) m = -1;
  for (int i = 0; i < 64; ++i) map[static_cast<unsigned char>(kB64[i])] = i;
  map[static_cast<unsigned char>('+')] = 62;
  map[static_cast<unsigned char>('/')] = 63;
  while (!s.empty() && s.back() == '=') s.remove_suffix(1);
  if (s.size() % 4 == 1) return Status(Code::kInvalidArgument, "bad base64 length");
  Bytes out;
  out.reserve(s.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    int v = map[static_cast<unsigned char>(c)];
    if (v < 0) return Status(Code::kInvalidArgument, "not base64 text");
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xff));
    }
  }
  return out;
}

namespace {
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
}  // namespace

Ed25519KeyPair ed25519_generate() {
  Ed25519KeyPair kp;
  random_bytes(kp.secret);
  kp.pub = ed25519_public_from_secret(kp.secret).value();
  return kp;
}

Result<Key32> ed25519_public_from_secret(const Key32& secret) {
  PkeyPtr k(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, secret.data(), secret.size()));
  if (!k) return Status(Code::kInvalidArgument, "bad Ed25519 secret key");
  Key32 pub;
  size_t len = pub.size();
  if (EVP_PKEY_get_raw_public_key(k.get(), pub.data(), &len) != 1 || len != 32)
    return Status(Code::kInternal, "cannot derive Ed25519 public key");
  return pub;
}

Result<std::array<std::uint8_t, 64>> ed25519_sign(const Key32& secret, ByteView msg) {
  PkeyPtr k(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, secret.data(), secret.size()));
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!k || !ctx) return Status(Code::kInvalidArgument, "bad Ed25519 secret key");
  std::array<std::uint8_t, 64> sig;
  size_t len = sig.size();
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, k.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig.data(), &len, msg.data(), msg.size()) != 1 || len != 64)
    return Status(Code::kInternal, "Ed25519 signing failed");
  return sig;
}

Status ed25519_verify(const Key32& pub, ByteView msg, ByteView sig) {
  if (sig.size() != 64) return Status(Code::kTampered, "signature has the wrong length");
  PkeyPtr k(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, pub.data(), pub.size()));
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!k || !ctx) return Status(Code::kInvalidArgument, "bad Ed25519 public key");
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, k.get()) != 1)
    return Status(Code::kInternal, "Ed25519 verify init failed");
  if (EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), msg.data(), msg.size()) != 1)
    return Status(Code::kTampered, "signature does not match");
  return OkStatus();
}

Key32 pbkdf2_sha256(std::string_view password, ByteView salt, int iterations) {
  Key32 out;
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(),
                    static_cast<int>(out.size()), out.data());
  return out;
}

}  // namespace chz
