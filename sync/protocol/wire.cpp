#include "sync/protocol/wire.h"

#include <zstd.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cstring>
#include <unordered_map>

#include "common/uuid.h"

namespace chz::sync {
namespace {

enum Stream { kStrings, kMeta, kSeq, kTime, kUuid, kBody, kStreams };
enum FieldType : std::uint8_t { kStr = 1, kInt = 2, kIntMs = 3, kRaw = 4 };

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
// Wrapping arithmetic: deltas of arbitrary int64s must not overflow (UB).
std::int64_t wsub(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b));
}
std::int64_t wadd(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}

struct Field {
  std::string key;
  FieldType type;
};

struct StrHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view v) const { return std::hash<std::string_view>{}(v); }
};
template <class V>
using StrMap = std::unordered_map<std::string, V, StrHash, std::equal_to<>>;

class Encoder {
 public:
  std::string s[kStreams];

  void str(Stream st, std::string_view v) {
    auto it = ids_.find(v);
    if (it != ids_.end()) {
      put_u(s[st], it->second);
      return;
    }
    std::uint64_t id = ids_.size();
    ids_.emplace(std::string(v), id);
    put_u(s[st], id);
    put_u(s[kStrings], v.size());
    s[kStrings].append(v);
  }

  // A shape is looked up by its signature (kind, then key + type per
  // field), built with sig_begin/sig_add; find_shape writes the id of a
  // known one (0 if new), define_shape defines the new one inline.
  void sig_begin(std::string_view kind) { sig_.assign(kind); }
  void sig_add(std::string_view key, FieldType t) {
    sig_.push_back('\0');
    sig_.append(key);
    sig_.push_back(static_cast<char>(t));
  }
  std::size_t find_shape() {
    auto it = shapes_.find(std::string_view(sig_));
    if (it == shapes_.end()) return 0;
    put_u(s[kMeta], it->second);
    return it->second;
  }
  std::size_t define_shape(const std::vector<Field>& f) {
    std::size_t id = shapes_.size() + 1;
    shapes_.emplace(sig_, id);
    cols_.emplace_back(f.size(), 0);
    put_u(s[kMeta], id);
    put_u(s[kMeta], f.size());
    for (const auto& x : f) {
      str(kMeta, x.key);
      s[kMeta].push_back(static_cast<char>(x.type));
    }
    return id;
  }
  std::int64_t& column(std::size_t shape, std::size_t field) { return cols_[shape - 1][field]; }

 private:
  StrMap<std::uint64_t> ids_;
  StrMap<std::size_t> shapes_;
  std::string sig_;
  std::vector<std::vector<std::int64_t>> cols_;  // per shape, per field
};

bool as_int(const nlohmann::json& v, std::int64_t* out) {
  if (v.is_number_integer() && !v.is_number_unsigned()) {
    *out = v.get<std::int64_t>();
    return true;
  }
  if (v.is_number_unsigned() && v.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX)) {
    *out = static_cast<std::int64_t>(v.get<std::uint64_t>());
    return true;
  }
  return false;
}

// zstd contexts kept per thread (a pure cache): a fresh one per batch costs
// a large allocation and its page faults every time.
struct ZstdContexts {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_DCtx* d = ZSTD_createDCtx();
  ZstdContexts() = default;
  ZstdContexts(const ZstdContexts&) = delete;
  ZstdContexts& operator=(const ZstdContexts&) = delete;
  ~ZstdContexts() {
    ZSTD_freeCCtx(c);
    ZSTD_freeDCtx(d);
  }
};
ZstdContexts& zstd_contexts() {
  thread_local ZstdContexts z;
  return z;
}

// True iff `s` is valid UTF-8 with no byte that JSON would escape (quote,
// backslash, control characters): such a string dumps as itself.
bool plain_json_string(std::string_view s) {
  std::size_t i = 0;
  // Plain ASCII first, without the UTF-8 bookkeeping.
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
    ++i;
  }
  for (; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == '"' || c == '\\') return false;
      ++i;
      continue;
    }
    int n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
    if (n < 0 || c > 0xf4 || i + static_cast<std::size_t>(n) >= s.size()) return false;
    std::uint32_t cp = c & (0x3f >> n);
    for (int k = 1; k <= n; ++k) {
      auto d = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += static_cast<std::size_t>(n) + 1;
  }
  return true;
}

struct FlatValue {
  std::string_view key;
  bool is_int = false;
  std::string_view str;
  std::int64_t num = 0;
};

// Parses a canonical flat object ({"k":"v","n":12}: keys sorted and unique,
// string and integer values only, nothing escaped) without building a JSON
// tree. False for anything else; the caller then takes the general path.
bool scan_flat(std::string_view b, std::vector<FlatValue>* out) {
  if (b.size() < 2 || b.front() != '{' || b.back() != '}') return false;
  std::size_t i = 1;
  if (b.size() == 2) return true;
  for (;;) {
    if (b[i] != '"') return false;
    auto e = b.find('"', i + 1);
    if (e == std::string_view::npos) return false;
    FlatValue v;
    v.key = b.substr(i + 1, e - i - 1);
    if (!plain_json_string(v.key) || (!out->empty() && !(out->back().key < v.key))) return false;
    i = e + 1;
    if (i >= b.size() || b[i] != ':') return false;
    ++i;
    if (i >= b.size()) return false;
    if (b[i] == '"') {
      e = b.find('"', i + 1);
      if (e == std::string_view::npos) return false;
      v.str = b.substr(i + 1, e - i - 1);
      if (!plain_json_string(v.str)) return false;
      i = e + 1;
    } else {
      std::size_t j = i;
      if (b[j] == '-') ++j;
      std::size_t d0 = j;
      while (j < b.size() && b[j] >= '0' && b[j] <= '9') ++j;
      std::size_t nd = j - d0;
      if (nd == 0 || nd > 18 || (b[d0] == '0' && (nd > 1 || d0 != i)))
        return false;  // no "-0", no leading zeros
      auto r = std::from_chars(b.data() + i, b.data() + j, v.num);
      if (r.ec != std::errc()) return false;
      v.is_int = true;
      i = j;
    }
    out->push_back(v);
    if (i >= b.size()) return false;
    if (b[i] == '}') return i == b.size() - 1;
    if (b[i] != ',') return false;
    ++i;
    if (i >= b.size()) return false;
  }
}

FieldType flat_type(const FlatValue& v) {
  if (!v.is_int) return kStr;
  return v.key.size() > 3 && v.key.ends_with("_ms") ? kIntMs : kInt;
}

bool encode_flat(Encoder& e, const Record& r, std::int64_t wall) {
  thread_local std::vector<FlatValue> vals;
  vals.clear();
  if (!scan_flat(r.body, &vals)) return false;
  e.sig_begin(r.kind);
  for (const auto& v : vals) e.sig_add(v.key, flat_type(v));
  std::size_t sh = e.find_shape();
  if (sh == 0) {
    std::vector<Field> fields;
    for (const auto& v : vals) fields.push_back({std::string(v.key), flat_type(v)});
    sh = e.define_shape(fields);
  }
  for (std::size_t i = 0; i < vals.size(); ++i) {
    switch (flat_type(vals[i])) {
      case kStr:
        e.str(kBody, vals[i].str);
        break;
      case kInt: {
        auto& prev = e.column(sh, i);
        put_s(e.s[kBody], wsub(vals[i].num, prev));
        prev = vals[i].num;
        break;
      }
      case kIntMs:
        put_s(e.s[kBody], wsub(vals[i].num, wall));
        break;
      case kRaw:
        break;
    }
  }
  return true;
}

// Encodes the body as a shape + values; false if it must travel raw.
bool encode_body(Encoder& e, const Record& r, std::int64_t wall) {
  if (encode_flat(e, r, wall)) return true;
  if (r.body.empty() || r.body.front() != '{') return false;
  try {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.dump() != r.body) return false;
    std::vector<Field> fields;
    fields.reserve(j.size());
    for (auto it = j.begin(); it != j.end(); ++it) {
      std::int64_t iv;
      FieldType t = kRaw;
      if (it->is_string())
        t = kStr;
      else if (as_int(*it, &iv))
        t = (it.key().size() > 3 && it.key().ends_with("_ms")) ? kIntMs : kInt;
      fields.push_back({it.key(), t});
    }
    e.sig_begin(r.kind);
    for (const auto& f : fields) e.sig_add(f.key, f.type);
    std::size_t sh = e.find_shape();
    if (sh == 0) sh = e.define_shape(fields);
    std::size_t i = 0;
    for (auto it = j.begin(); it != j.end(); ++it, ++i) {
      std::int64_t iv = 0;
      switch (fields[i].type) {
        case kStr:
          e.str(kBody, it->get_ref<const std::string&>());
          break;
        case kInt: {
          as_int(*it, &iv);
          auto& prev = e.column(sh, i);
          put_s(e.s[kBody], wsub(iv, prev));
          prev = iv;
          break;
        }
        case kIntMs:
          as_int(*it, &iv);
          put_s(e.s[kBody], wsub(iv, wall));
          break;
        case kRaw:
          e.str(kBody, it->dump());
          break;
      }
    }
    return true;
  } catch (const std::exception&) {
    return false;  // e.g. invalid UTF-8 in a string: travels raw
  }
}

Status malformed() {
  return Status(Code::kInvalidArgument, "malformed batch", "sync.malformed");
}

class Reader {
 public:
  explicit Reader(std::string_view d) : d_(d) {}
  bool u(std::uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= d_.size()) return false;
      auto b = static_cast<std::uint8_t>(d_[p_++]);
      *v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  bool s(std::int64_t* v) {
    std::uint64_t x;
    if (!u(&x)) return false;
    *v = static_cast<std::int64_t>((x >> 1) ^ (~(x & 1) + 1));
    return true;
  }
  bool bytes(std::size_t n, std::string_view* out) {
    if (n > d_.size() - p_) return false;
    *out = d_.substr(p_, n);
    p_ += n;
    return true;
  }
  bool done() const { return p_ == d_.size(); }

 private:
  std::string_view d_;
  std::size_t p_ = 0;
};

class Decoder {
 public:
  Reader r[kStreams] = {Reader({}), Reader({}), Reader({}), Reader({}), Reader({}), Reader({})};
  struct Shape {
    std::vector<Field> fields;
    std::vector<std::string> prefix;  // per field: [","] JSON key and ':'
    std::vector<std::int64_t> cols;
  };
  std::vector<Shape> shapes;

  // A dictionary string: a view into the payload, which outlives decoding.
  bool str(Stream st, std::string_view* out, std::size_t* id_out = nullptr) {
    std::uint64_t id;
    if (!r[st].u(&id)) return false;
    if (id > strs_.size()) return false;
    if (id == strs_.size()) {
      std::uint64_t n;
      std::string_view v;
      if (!r[kStrings].u(&n) || !r[kStrings].bytes(n, &v)) return false;
      strs_.push_back(v);
      json_.emplace_back();
    }
    *out = strs_[id];
    if (id_out) *id_out = id;
    return true;
  }
  bool str(Stream st, std::string* out) {
    std::string_view v;
    if (!str(st, &v)) return false;
    out->assign(v);
    return true;
  }
  // Appends dictionary string `id` as a JSON string (escaped once, then
  // remembered).
  bool append_json(std::string& o, std::size_t id) {
    auto& j = json_[id];
    if (j.state == 0) {
      if (plain_json_string(strs_[id])) {
        j.state = 1;
      } else {
        try {
          j.text = nlohmann::json(std::string(strs_[id])).dump();
          j.state = 2;
        } catch (const std::exception&) {
          j.state = 3;
        }
      }
    }
    if (j.state == 1) {
      o.push_back('"');
      o.append(strs_[id]);
      o.push_back('"');
    } else if (j.state == 2) {
      o.append(j.text);
    }
    return j.state < 3;
  }

 private:
  struct Json {
    std::uint8_t state = 0;  // 0 unknown, 1 plain, 2 escaped in `text`, 3 invalid
    std::string text;
  };
  std::vector<std::string_view> strs_;
  std::vector<Json> json_;
};

}  // namespace

std::string encode_batch(const std::vector<Record>& records, int level) {
  Encoder e;
  std::int64_t prev_seq = 0, prev_phys = 0, prev_off = 0;
  for (const auto& r : records) {
    const auto& m = r.meta;
    e.str(kMeta, m.origin_device);
    e.str(kMeta, r.kind);
    put_s(e.s[kSeq], wsub(wsub(m.seq, prev_seq), 1));
    prev_seq = m.seq;
    put_s(e.s[kTime], wsub(m.hlc.physical_ms, prev_phys));
    prev_phys = m.hlc.physical_ms;
    put_u(e.s[kTime], static_cast<std::uint32_t>(m.hlc.logical));
    put_s(e.s[kTime], wsub(m.wall_ms, m.hlc.physical_ms));
    put_s(e.s[kTime], wsub(m.offset_ms, prev_off));
    prev_off = m.offset_ms;
    // uuid: tag 1 = derived from (origin, seq, ms), 3 = another v7 uuid
    // (time as a delta, its 74 random bits in 10 bytes), 0 = raw bytes,
    // 2 = not canonical uuid text.
    Uuid u{};
    bool canonical = canonical_uuid(m.uuid, &u);
    std::int64_t ms = 0;
    for (int i = 0; i < 6; ++i) ms = (ms << 8) | u[static_cast<std::size_t>(i)];
    if (canonical && record_uuid_bytes(m.origin_device, m.seq, ms) == u) {
      put_u(e.s[kMeta], 1);
      put_s(e.s[kTime], wsub(ms, m.wall_ms));
    } else if (canonical && (u[6] >> 4) == 7 && (u[8] >> 6) == 2) {
      put_u(e.s[kMeta], 3);
      put_s(e.s[kTime], wsub(ms, m.wall_ms));
      const std::uint8_t b[10] = {static_cast<std::uint8_t>(u[6] & 0x0f),
                                  static_cast<std::uint8_t>(u[8] & 0x3f),
                                  u[7],
                                  u[9],
                                  u[10],
                                  u[11],
                                  u[12],
                                  u[13],
                                  u[14],
                                  u[15]};
      e.s[kUuid].append(reinterpret_cast<const char*>(b), sizeof b);
    } else if (canonical) {
      put_u(e.s[kMeta], 0);
      e.s[kUuid].append(reinterpret_cast<const char*>(u.data()), u.size());
    } else {
      put_u(e.s[kMeta], 2);
      e.str(kMeta, m.uuid);
    }
    if (!encode_body(e, r, m.wall_ms)) {
      put_u(e.s[kMeta], 0);
      e.str(kMeta, r.body);
    }
  }
  std::string payload;
  put_u(payload, records.size());
  for (const auto& st : e.s) {
    put_u(payload, st.size());
    payload += st;
  }
  std::string out = "CHZB";
  out.push_back(static_cast<char>(kWireVersion));
  put_u(out, payload.size());
  std::size_t head = out.size();
  out.resize(head + ZSTD_compressBound(payload.size()));
  std::size_t n = ZSTD_compressCCtx(zstd_contexts().c, out.data() + head, out.size() - head,
                                    payload.data(), payload.size(), level);
  out.resize(head + (ZSTD_isError(n) ? 0 : n));
  return out;
}

Result<std::vector<Record>> decode_batch(std::string_view wire) {
  if (wire.size() < 6 || wire.substr(0, 4) != "CHZB") return malformed();
  const auto version = static_cast<std::uint8_t>(wire[4]);
  if (version < 1 || version > kWireVersion)
    return Status(Code::kOutOfRange, "unknown batch version", "sync.version");
  Reader hdr(wire.substr(5));
  std::uint64_t plen;
  if (!hdr.u(&plen)) return malformed();
  if (plen > kMaxDecodedBytes) return Status(Code::kTooLarge, "batch too large", "sync.too_large");
  std::size_t head = 5;
  for (std::uint64_t v = plen;; v >>= 7) {
    ++head;
    if (v < 0x80) break;
  }
  std::string_view z = wire.substr(head);
  unsigned long long fsz = ZSTD_getFrameContentSize(z.data(), z.size());
  if (fsz != plen) return malformed();
  std::string payload(plen, '\0');
  std::size_t n =
      ZSTD_decompressDCtx(zstd_contexts().d, payload.data(), payload.size(), z.data(), z.size());
  if (ZSTD_isError(n) || n != plen) return malformed();

  Reader top(payload);
  std::uint64_t count;
  if (!top.u(&count)) return malformed();
  if (count > kMaxBatchRecords)
    return Status(Code::kTooLarge, "batch has too many records", "sync.too_large");
  Decoder d;
  for (int i = 0; i < kStreams; ++i) {
    std::uint64_t len;
    std::string_view v;
    if (!top.u(&len) || !top.bytes(len, &v)) return malformed();
    d.r[i] = Reader(v);
  }
  if (!top.done()) return malformed();
  std::vector<Record> out;
  out.reserve(count);
  std::int64_t prev_seq = 0, prev_phys = 0, prev_off = 0;
  for (std::uint64_t k = 0; k < count; ++k) {
    Record r;
    auto& m = r.meta;
    std::int64_t v;
    std::uint64_t uv, tag;
    if (!d.str(kMeta, &m.origin_device) || !d.str(kMeta, &r.kind)) return malformed();
    if (!d.r[kSeq].s(&v)) return malformed();
    m.seq = prev_seq = wadd(wadd(prev_seq, v), 1);
    if (!d.r[kTime].s(&v)) return malformed();
    m.hlc.physical_ms = prev_phys = wadd(prev_phys, v);
    if (!d.r[kTime].u(&uv) || uv > INT32_MAX) return malformed();
    m.hlc.logical = static_cast<std::int32_t>(uv);
    if (!d.r[kTime].s(&v)) return malformed();
    m.wall_ms = wadd(m.hlc.physical_ms, v);
    if (!d.r[kTime].s(&v)) return malformed();
    m.offset_ms = prev_off = wadd(prev_off, v);
    if (!d.r[kMeta].u(&tag)) return malformed();
    if (tag == 1) {
      if (!d.r[kTime].s(&v)) return malformed();
      m.uuid.resize(36);
      uuid_chars(record_uuid_bytes(m.origin_device, m.seq, wadd(m.wall_ms, v)), m.uuid.data());
    } else if (tag == 0) {
      std::string_view b;
      if (!d.r[kUuid].bytes(16, &b)) return malformed();
      Uuid u;
      std::memcpy(u.data(), b.data(), 16);
      m.uuid.resize(36);
      uuid_chars(u, m.uuid.data());
    } else if (tag == 2) {
      if (!d.str(kMeta, &m.uuid)) return malformed();
    } else if (tag == 3 && version >= 2) {
      std::string_view b;
      if (!d.r[kTime].s(&v) || !d.r[kUuid].bytes(10, &b)) return malformed();
      auto x = [&b](std::size_t i) { return static_cast<std::uint8_t>(b[i]); };
      if (x(0) > 0x0f || x(1) > 0x3f) return malformed();
      auto ms = static_cast<std::uint64_t>(wadd(m.wall_ms, v));
      Uuid u;
      for (int i = 0; i < 6; ++i)
        u[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
      u[6] = static_cast<std::uint8_t>(0x70 | x(0));
      u[7] = x(2);
      u[8] = static_cast<std::uint8_t>(0x80 | x(1));
      for (std::size_t i = 9; i < 16; ++i) u[i] = x(i - 6);
      m.uuid.resize(36);
      uuid_chars(u, m.uuid.data());
    } else {
      return malformed();
    }
    std::uint64_t sh;
    if (!d.r[kMeta].u(&sh)) return malformed();
    if (sh == 0) {
      if (!d.str(kMeta, &r.body)) return malformed();
    } else {
      if (sh == d.shapes.size() + 1) {
        std::uint64_t nf;
        if (!d.r[kMeta].u(&nf) || nf > 4096) return malformed();
        Decoder::Shape s;
        for (std::uint64_t f = 0; f < nf; ++f) {
          Field fld;
          std::string_view t, key;
          std::size_t key_id;
          if (!d.str(kMeta, &key, &key_id) || !d.r[kMeta].bytes(1, &t)) return malformed();
          fld.key.assign(key);
          fld.type = static_cast<FieldType>(t[0]);
          if (fld.type < kStr || fld.type > kRaw) return malformed();
          std::string prefix(f ? "," : "");
          if (!d.append_json(prefix, key_id)) return malformed();
          prefix.push_back(':');
          s.prefix.push_back(std::move(prefix));
          s.fields.push_back(std::move(fld));
        }
        s.cols.assign(nf, 0);
        d.shapes.push_back(std::move(s));
      } else if (sh > d.shapes.size()) {
        return malformed();
      }
      auto& s = d.shapes[sh - 1];
      // Built as text: keys in shape order, strings escaped only if needed.
      std::string& body = r.body;
      body.reserve(192);
      body.push_back('{');
      char num[24];
      auto put_int = [&](std::int64_t x) {
        auto res = std::to_chars(num, num + sizeof num, x);
        body.append(num, res.ptr);
      };
      for (std::size_t f = 0; f < s.fields.size(); ++f) {
        body += s.prefix[f];
        std::string_view sv;
        std::size_t id;
        switch (s.fields[f].type) {
          case kStr:
            if (!d.str(kBody, &sv, &id) || !d.append_json(body, id)) return malformed();
            break;
          case kInt:
            if (!d.r[kBody].s(&v)) return malformed();
            s.cols[f] = wadd(s.cols[f], v);
            put_int(s.cols[f]);
            break;
          case kIntMs:
            if (!d.r[kBody].s(&v)) return malformed();
            put_int(wadd(m.wall_ms, v));
            break;
          case kRaw: {
            if (!d.str(kBody, &sv)) return malformed();
            auto x = nlohmann::json::parse(sv, nullptr, false);
            if (x.is_discarded()) return malformed();
            try {
              body += x.dump();
            } catch (const std::exception&) {
              return malformed();
            }
            break;
          }
        }
      }
      body.push_back('}');
    }
    out.push_back(std::move(r));
  }
  for (int i = kMeta; i < kStreams; ++i)
    if (!d.r[i].done()) return malformed();
  return out;
}

}  // namespace chz::sync
