#include "sync/protocol/bundle.h"

#include <nlohmann/json.hpp>

#include "sync/protocol/box.h"

namespace chz::sync {
namespace {
using nlohmann::json;

Status malformed() {
  return Status(Code::kInvalidArgument, "not a Chizheng bundle", "sync.malformed");
}
Status tampered() {
  return Status(Code::kTampered, "bundle signature does not verify", "sync.tampered");
}

struct Parsed {
  std::string_view aad;  // magic .. header
  std::string_view header;
  std::string_view sig;
  std::string_view sealed;
};

Result<Parsed> split(std::string_view f) {
  if (f.size() < 9 || f.substr(0, 4) != "CHZU" || f[4] != 1) return malformed();
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i)
    n = (n << 8) | static_cast<std::uint8_t>(f[5 + static_cast<std::size_t>(i)]);
  if (n > f.size() - 9 || f.size() - 9 - n < 64 + 16) return malformed();
  Parsed p;
  p.aad = f.substr(0, 9 + n);
  p.header = f.substr(9, n);
  p.sig = f.substr(9 + n, 64);
  p.sealed = f.substr(9 + n + 64);
  return p;
}

std::string sig_input(std::string_view header, std::string_view sealed) {
  std::string s = "chz-bundle-v1\n";
  s.append(header);
  Key32 h = sha256(sealed);
  s.append(reinterpret_cast<const char*>(h.data()), h.size());
  return s;
}

Result<BundleInfo> info_of(std::string_view header, std::string* eph, std::string* nonce) {
  try {
    auto j = json::parse(header);
    // An integer only: a float such as 1e300 does not fit (converting it
    // would be undefined behaviour).
    if (!j.at("created_ms").is_number_integer()) return malformed();
    BundleInfo i{j.at("kind"), j.at("from"), j.at("to"), j.at("created_ms"), j.at("attrs").dump()};
    if (eph) *eph = j.at("eph");
    if (nonce) *nonce = j.at("nonce");
    return i;
  } catch (const std::exception&) {
    return malformed();
  }
}
}  // namespace

Result<std::string> seal_bundle(const BundleInfo& info, std::string_view payload,
                                const Key32& sender_secret, const Key32& recipient_pub) {
  auto eph = x25519_generate();
  Bytes nonce(12);
  random_bytes(nonce);
  json attrs = json::parse(info.attrs, nullptr, false);
  if (!attrs.is_object())
    return Status(Code::kInvalidArgument, "bundle attrs must be a JSON object");
  std::string header = json{{"kind", info.kind},  {"from", info.from},
                            {"to", info.to},      {"created_ms", info.created_ms},
                            {"attrs", attrs},     {"eph", hex(eph.pub)},
                            {"nonce", hex(nonce)}}
                           .dump();
  std::string out = "CHZU";
  out.push_back(1);
  auto n = static_cast<std::uint32_t>(header.size());
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>(n >> (8 * i)));
  out += header;
  CHZ_ASSIGN_OR_RETURN(Key32 shared, x25519_shared(eph.secret, recipient_pub));
  Bytes salt(eph.pub.begin(), eph.pub.end());
  salt.insert(salt.end(), recipient_pub.begin(), recipient_pub.end());
  Key32 key = hkdf_sha256(shared, salt, "chz-bundle-v1");
  CHZ_ASSIGN_OR_RETURN(Bytes sealed, aes_gcm_seal(key, nonce, as_bytes(out), as_bytes(payload)));
  std::string sealed_s = to_string(sealed);
  CHZ_ASSIGN_OR_RETURN(auto sig,
                       ed25519_sign(sender_secret, as_bytes(sig_input(header, sealed_s))));
  out.append(reinterpret_cast<const char*>(sig.data()), sig.size());
  out += sealed_s;
  return out;
}

Result<BundleInfo> peek_bundle(std::string_view file) {
  CHZ_ASSIGN_OR_RETURN(Parsed p, split(file));
  return info_of(p.header, nullptr, nullptr);
}

namespace {
// Verifies the sender's signature, then decrypts with the bundle's key:
// given (`*key` set) or derived from the recipient's secret.
Result<std::string> open_verified(std::string_view file, const Key32& sender_pub,
                                  const Key32* recipient_secret, Key32* key, BundleInfo* info) {
  CHZ_ASSIGN_OR_RETURN(Parsed p, split(file));
  std::string eph_hex, nonce_hex;
  CHZ_ASSIGN_OR_RETURN(BundleInfo i, info_of(p.header, &eph_hex, &nonce_hex));
  if (!ed25519_verify(sender_pub, as_bytes(sig_input(p.header, p.sealed)), as_bytes(p.sig)).ok())
    return tampered();
  auto eph = unhex(eph_hex);
  auto nonce = unhex(nonce_hex);
  if (!eph.ok() || eph->size() != 32 || !nonce.ok() || nonce->size() != 12) return malformed();
  if (recipient_secret) {
    Key32 eph_pub;
    std::copy(eph->begin(), eph->end(), eph_pub.begin());
    CHZ_ASSIGN_OR_RETURN(Key32 rpub, x25519_public_from_secret(*recipient_secret));
    CHZ_ASSIGN_OR_RETURN(Key32 shared, x25519_shared(*recipient_secret, eph_pub));
    Bytes salt(eph_pub.begin(), eph_pub.end());
    salt.insert(salt.end(), rpub.begin(), rpub.end());
    *key = hkdf_sha256(shared, salt, "chz-bundle-v1");
  }
  auto plain = aes_gcm_open(*key, *nonce, as_bytes(p.aad), as_bytes(p.sealed));
  if (!plain.ok()) return tampered();
  if (info) *info = i;
  return to_string(*plain);
}
}  // namespace

Result<std::string> open_bundle(std::string_view file, const Key32& sender_pub,
                                const Key32& recipient_secret, BundleInfo* info, Key32* key_out) {
  Key32 key{};
  auto plain = open_verified(file, sender_pub, &recipient_secret, &key, info);
  if (plain.ok() && key_out) *key_out = key;
  return plain;
}

Result<std::string> open_bundle_with_key(std::string_view file, const Key32& sender_pub,
                                         const Key32& key, BundleInfo* info) {
  Key32 k = key;
  return open_verified(file, sender_pub, nullptr, &k, info);
}

}  // namespace chz::sync
