// Record identity helpers of wire.h: derived uuids, the canonical uuid text,
// and the per-record hash the server stores. These run once per record on
// both ends of an upload, so they avoid allocating and avoid OpenSSL's
// per-call algorithm fetch (a global lock under OpenSSL 3).
#include <openssl/evp.h>

#include <cstring>

#include "sync/protocol/wire.h"

namespace chz::sync {
namespace {

// SHA-256 through one fetched EVP_MD and one reused context per thread.
class Sha256 {
 public:
  Sha256() : md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)), ctx_(EVP_MD_CTX_new()) {}
  ~Sha256() {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(md_);
  }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  Key32 operator()(std::string_view s) {
    Key32 out;
    unsigned len = 0;
    if (md_ && ctx_ && EVP_DigestInit_ex2(ctx_, md_, nullptr) == 1 &&
        EVP_DigestUpdate(ctx_, s.data(), s.size()) == 1 &&
        EVP_DigestFinal_ex(ctx_, out.data(), &len) == 1 && len == out.size())
      return out;
    return sha256(s);  // the slow path gives the same answer
  }

 private:
  EVP_MD* md_;
  EVP_MD_CTX* ctx_;
};

// A pure per-thread cache: the last device's SHA-256 (a batch holds one
// or a few origins).
const Key32& device_hash(std::string_view origin_device) {
  thread_local std::string last_dev;
  thread_local Key32 last_hash{};
  if (last_dev != origin_device || last_dev.empty()) {
    last_dev.assign(origin_device);
    last_hash = sha256(origin_device);
  }
  return last_hash;
}

void put_u(std::string& o, std::uint64_t v) {
  while (v >= 0x80) {
    o.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  o.push_back(static_cast<char>(v));
}
void put_s(std::string& o, std::int64_t v) {
  put_u(o, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case is not canonical
}

}  // namespace

void uuid_chars(const Uuid& u, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t o = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
    out[o++] = kHex[u[i] >> 4];
    out[o++] = kHex[u[i] & 0x0f];
  }
}

bool canonical_uuid(std::string_view s, Uuid* u) {
  if (s.size() != 36) return false;
  std::size_t o = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      if (s[o] != '-') return false;
      ++o;
    }
    int hi = hex_value(s[o]), lo = hex_value(s[o + 1]);
    if (hi < 0 || lo < 0) return false;
    (*u)[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    o += 2;
  }
  return true;
}

Uuid record_uuid_bytes(std::string_view origin_device, std::int64_t seq, std::int64_t unix_ms) {
  Uuid u{};
  auto ms = static_cast<std::uint64_t>(unix_ms);
  for (int i = 0; i < 6; ++i)
    u[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
  const Key32& h = device_hash(origin_device);
  // 74 bits after version/variant: bits 0-11 of rand_a and 62 of rand_b.
  // rand_a (12 bits) + first 20 bits of rand_b: 32 bits of the device hash;
  // remaining 42 bits of rand_b: seq.
  std::uint64_t dev =
      (std::uint64_t{h[0]} << 24) | (std::uint64_t{h[1]} << 16) | (std::uint64_t{h[2]} << 8) | h[3];
  std::uint64_t s = static_cast<std::uint64_t>(seq) & ((1ULL << 42) - 1);
  u[6] = static_cast<std::uint8_t>(0x70 | ((dev >> 28) & 0x0f));
  u[7] = static_cast<std::uint8_t>(dev >> 20);
  // rand_b: 62 bits = dev low 20 bits, then 42 bits of seq.
  std::uint64_t rb = ((dev & 0xfffff) << 42) | s;
  u[8] = static_cast<std::uint8_t>(0x80 | ((rb >> 56) & 0x3f));
  for (int i = 9; i < 16; ++i)
    u[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(rb >> (8 * (15 - i)));
  return u;
}

std::string record_uuid(std::string_view origin_device, std::int64_t seq, std::int64_t unix_ms) {
  std::string out(36, '\0');
  uuid_chars(record_uuid_bytes(origin_device, seq, unix_ms), out.data());
  return out;
}

Key32 record_hash(const Record& r) {
  thread_local std::string s;
  thread_local Sha256 digest;
  s.clear();
  auto add = [](std::string_view v) {
    put_u(s, v.size());
    s.append(v);
  };
  add(r.meta.uuid);
  add(r.meta.origin_device);
  put_s(s, r.meta.seq);
  char hlc[kHlcTextMax];
  add(std::string_view(hlc, r.meta.hlc.text_to(hlc)));
  put_s(s, r.meta.wall_ms);
  put_s(s, r.meta.offset_ms);
  add(r.kind);
  add(r.body);
  return digest(s);
}

}  // namespace chz::sync
