#include "sync/protocol/wire.h"

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <random>

#include "common/uuid.h"
#include "sync/protocol/api.h"

using namespace chz;
using namespace chz::sync;

namespace {
std::vector<Record> attendance_batch(int n) {
  std::vector<Record> v;
  std::int64_t t = 1'790'000'000'000;
  for (int i = 1; i <= n; ++i) {
    t += 1000 + (i * 7919) % 40000;
    Record r;
    r.meta.origin_device = "kiosk-a1b2c3d4e5f6";
    r.meta.seq = i;
    r.meta.hlc = {t, i % 3};
    r.meta.wall_ms = t;
    r.meta.offset_ms = -1200;
    r.meta.uuid = record_uuid(r.meta.origin_device, i, t - 1200);
    r.kind = "attendance";
    std::string person = hex(sha256(fmt::format("person-{}", i % 40)));
    r.body = fmt::format(
        R"({{"at_ms":{},"by":"self","event":"{}","person":"{}","session":"session-{}"}})", t,
        (i / 40) % 2 ? "out" : "in", person, i / 80);
    v.push_back(r);
  }
  return v;
}
}  // namespace

TEST_CASE("wire: a batch round-trips byte for byte, odd bodies included") {
  auto v = attendance_batch(50);
  v[3].body = R"({"b": 1, "a": 2})";  // not canonical: travels raw
  v[4].body = R"({"a":[1,2,{"x":null}],"f":1.5,"n":"䶮𠮷·喆","neg":-5,"t":true})";
  v[5].meta.uuid = new_uuid_text(1'790'000'000'000);  // random v7
  v[6].meta.uuid = "not-a-uuid";
  v[7].body = "";
  v[9].body = R"({"a":"x\"y","b":"\n","c":-0,"d":-12,"e":0,"f":12345678901234567890})";
  v[10].body = R"({"a":1,"a":2})";
  v[11].body = "{\"s\":\"\xff\xfe\"}";  // invalid UTF-8
  v[12].body = R"({"z":1,"a":2})";
  v[13].body = R"({"a":"\u00e9","b":"é","c":"\u001f"})";
  v[14].body = "{}";
  v[15].body = R"({"a":01})";
  v[8].meta.origin_device = "county";
  v[8].meta.seq = 99;
  auto w = encode_batch(v);
  auto d = decode_batch(w);
  REQUIRE(d.ok());
  CHECK(*d == v);
}

TEST_CASE("wire: an attendance record costs at most 24 bytes in a batch of 1000") {
  auto v = attendance_batch(1000);
  auto w = encode_batch(v);
  MESSAGE("bytes per record: " << static_cast<double>(w.size()) / 1000.0);
  CHECK(w.size() <= 24'000);
  CHECK(*decode_batch(w) == v);
}

TEST_CASE("wire: truncated or corrupted input is refused as malformed") {
  auto w = encode_batch(attendance_batch(20));
  for (std::size_t cut = 0; cut < w.size(); cut += 7) {
    auto d = decode_batch(std::string_view(w).substr(0, cut));
    CHECK(!d.ok());
  }
  std::string bad = w;
  bad[4] = 9;
  CHECK(decode_batch(bad).status().code() == Code::kOutOfRange);
  CHECK(decode_batch("hello world").status().key() == "sync.malformed");
}

TEST_CASE("wire: record_uuid is a valid v7 uuid, distinct per seq and device") {
  auto a = record_uuid("kiosk-1", 1, 1'790'000'000'000);
  auto b = record_uuid("kiosk-1", 2, 1'790'000'000'000);
  auto c = record_uuid("kiosk-2", 1, 1'790'000'000'000);
  CHECK(a != b);
  CHECK(a != c);
  CHECK(a[14] == '7');
  CHECK(parse_uuid(a).ok());
  CHECK((a[19] == '8' || a[19] == '9' || a[19] == 'a' || a[19] == 'b'));
}

TEST_CASE("wire: record_uuid and record_hash are stable (stored hashes stay comparable)") {
  CHECK(record_uuid("kiosk-1", 1, 1'790'000'000'000) == "01a0c450-6c00-77ba-9d0e-0c0000000001");
  CHECK(record_uuid("kiosk-𠮷", 123456, 1'790'000'000'123) ==
        "01a0c450-6c7b-7b84-8a26-80000001e240");
  Uuid u{};
  CHECK(canonical_uuid(record_uuid("kiosk-1", 9, 5), &u));
  CHECK(u == record_uuid_bytes("kiosk-1", 9, 5));
  CHECK_FALSE(canonical_uuid("01A0C450-6C00-77BA-9D0E-0C0000000001", &u));
  CHECK_FALSE(canonical_uuid("01a0c450-6c00-77ba-9d0e-0c000000000", &u));
  // The documented layout, built by hand: length-prefixed fields, zig-zag ints.
  for (const auto& r : attendance_batch(3)) {
    std::string s;
    auto uv = [&s](std::uint64_t v) {
      for (; v >= 0x80; v >>= 7) s.push_back(static_cast<char>((v & 0x7f) | 0x80));
      s.push_back(static_cast<char>(v));
    };
    auto sv = [&](std::int64_t v) {
      uv((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
    };
    auto add = [&](const std::string& x) {
      uv(x.size());
      s += x;
    };
    add(r.meta.uuid);
    add(r.meta.origin_device);
    sv(r.meta.seq);
    add(r.meta.hlc.text());
    sv(r.meta.wall_ms);
    sv(r.meta.offset_ms);
    add(r.kind);
    add(r.body);
    CHECK(record_hash(r) == sha256(s));
  }
}

TEST_CASE("wire: random v7 uuids travel in about 11 bytes and round-trip exactly") {
  auto v = attendance_batch(1000);
  for (auto& r : v) r.meta.uuid = new_uuid_text(r.meta.wall_ms - 300);
  v[7].meta.uuid = "not-a-uuid";
  v[8].meta.uuid = uuid_text(Uuid{});  // canonical, not v7: raw bytes
  std::string w = encode_batch(v);
  CHECK(w.size() <= 24 * 1000);
  CHECK(decode_batch(w).value() == v);
}

TEST_CASE("wire: version 1 batches still decode; unknown versions are refused") {
  auto v = attendance_batch(50);
  std::string w = encode_batch(v);
  CHECK(static_cast<int>(w[4]) == kWireVersion);
  std::string v1 = w;
  v1[4] = 1;  // nothing here needs version 2
  CHECK(decode_batch(v1).value() == v);
  v[3].meta.uuid = new_uuid_text(v[3].meta.wall_ms);
  std::string with_v7 = encode_batch(v);
  with_v7[4] = 1;  // tag 3 did not exist in version 1
  CHECK(decode_batch(with_v7).status().key() == "sync.malformed");
  w[4] = static_cast<char>(kWireVersion + 1);
  CHECK(decode_batch(w).status().key() == "sync.version");
  // An upload of such a batch is the device's fault: 400 malformed, not a
  // 500 (found by tests/fuzz/server_request_fuzz).
  CHECK(api::error_code(decode_batch(w).status()) == api::err::kMalformed);
  CHECK(api::http_status(api::error_code(decode_batch(w).status())) == 400);
}

TEST_CASE("wire: record_hash changes with any field") {
  auto v = attendance_batch(2);
  auto h = record_hash(v[0]);
  auto r = v[0];
  r.body += " ";
  CHECK(record_hash(r) != h);
  r = v[0];
  r.meta.hlc.logical++;
  CHECK(record_hash(r) != h);
  CHECK(record_hash(v[0]) == h);
}

TEST_CASE("wire: random bodies round-trip byte for byte") {
  std::mt19937 rng(99);
  const std::vector<std::string> atoms = {"{",    "}", "\"",   ":", ",", "\\",     "a",    "b",
                                          "_ms",  "0", "1",    "-", "9", "中",     "𠮷",   "\x01",
                                          "\xff", " ", "true", "[", "]", "\"k\":", "\"v\""};
  std::vector<Record> v = attendance_batch(300);
  for (auto& r : v) {
    std::string b;
    if (rng() % 2) b = R"({"a":)";
    int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) b += atoms[rng() % atoms.size()];
    if (rng() % 2) b += "}";
    r.body = b;
  }
  auto d = decode_batch(encode_batch(v));
  REQUIRE(d.ok());
  CHECK(*d == v);
}
