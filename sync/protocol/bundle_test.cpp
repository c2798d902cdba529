#include "sync/protocol/bundle.h"

#include <doctest/doctest.h>

#include "sync/protocol/api.h"
#include "sync/protocol/box.h"
#include "sync/protocol/signing.h"

using namespace chz;
using namespace chz::sync;

TEST_CASE("bundle: sealed by a device, opened by the county") {
  auto dev = ed25519_generate();
  auto county = x25519_generate();
  BundleInfo info{"device", "kiosk-1", "county", 1'790'000'000'000, R"({"first":1})"};
  auto b = seal_bundle(info, "payload 培训", dev.secret, county.pub);
  REQUIRE(b.ok());
  BundleInfo got;
  auto p = open_bundle(*b, dev.pub, county.secret, &got);
  REQUIRE(p.ok());
  CHECK(*p == "payload 培训");
  CHECK(got.from == "kiosk-1");
  CHECK(peek_bundle(*b)->kind == "device");
}

TEST_CASE("bundle: a flipped byte anywhere is refused") {
  auto dev = ed25519_generate();
  auto county = x25519_generate();
  auto b =
      *seal_bundle({"device", "kiosk-1", "county", 1, "{}"}, "payload", dev.secret, county.pub);
  for (std::size_t i = 9; i < b.size(); i += 5) {
    std::string t = b;
    t[i] = static_cast<char>(t[i] ^ 0x01);
    CHECK(!open_bundle(t, dev.pub, county.secret).ok());
  }
  auto other = ed25519_generate();
  CHECK(open_bundle(b, other.pub, county.secret).status().code() == Code::kTampered);
}

TEST_CASE("bundle: a header whose created_ms is not an integer is refused as malformed") {
  // Seen with tests/fuzz/bundle_fuzz under UBSan: 1e300 was converted to an
  // integer (undefined behaviour) and the bundle peeked as valid.
  for (std::string ms : {"1e300", "-1e300", "1.5", "\"1790000000000\"", "null"}) {
    std::string header =
        R"({"attrs":{},"created_ms":)" + ms + R"(,"from":"kiosk-1","kind":"device","to":"county"})";
    std::string file = "CHZU";
    file.push_back(1);
    auto n = static_cast<std::uint32_t>(header.size());
    for (int i = 3; i >= 0; --i) file.push_back(static_cast<char>(n >> (8 * i)));
    file += header + std::string(64 + 16 + 8, '\0');
    auto p = peek_bundle(file);
    CHECK_MESSAGE(p.status().key() == "sync.malformed", ms);
    CHECK(open_bundle(file, ed25519_generate().pub, x25519_generate().secret).status().key() ==
          "sync.malformed");
  }
}

TEST_CASE("signing: a request verifies only unchanged") {
  auto k = ed25519_generate();
  auto a = *sign_request(k.secret, "kiosk-1", "POST", "/api/v1/upload", 1000, 7, "body");
  CHECK(verify_request(k.pub, a, "POST", "/api/v1/upload", "body").ok());
  CHECK(verify_request(k.pub, a, "POST", "/api/v1/upload", "bodY").key() == "sync.bad_signature");
  auto b = a;
  b.counter = 8;
  CHECK(!verify_request(k.pub, b, "POST", "/api/v1/upload", "body").ok());
  CHECK(!verify_request(k.pub, a, "GET", "/api/v1/upload", "body").ok());
}

TEST_CASE("api: enrollment secrets seal under the code key") {
  auto c = api::normalize_code("7k3q-abcd-efgh-jkmn-pqrs");
  CHECK(c == "7K3QABCDEFGHJKMNPQRS");
  auto key = api::code_key(c);
  Key32 secret = random_key32();
  auto s = *api::seal_small(key, secret);
  CHECK(*api::open_small(key, s) == Bytes(secret.begin(), secret.end()));
  CHECK(!api::open_small(api::code_key("OTHER"), s).ok());
}

TEST_CASE("api: an enroll response whose server_time_ms is not an integer is malformed") {
  // The bundle header's fault again (tests/fuzz/signed_request_fuzz
  // replays this input): the response is parsed before its MAC is checked,
  // so a float such as 1e300 from any server reached an undefined
  // float-to-integer conversion.
  api::EnrollResponse r;
  r.site_id = "site-a";
  r.site_name = "城关镇农民夜校";
  r.server_time_ms = 1'790'000'000'000;
  std::string good = api::to_json(r);
  REQUIRE(api::parse_enroll_response(good).ok());
  for (std::string bad : {"1e300", "1.5", "\"1\""}) {
    std::string t = good;
    auto at = t.find("1790000000000");
    REQUIRE(at != std::string::npos);
    t.replace(at, 13, bad);
    CHECK_MESSAGE(api::parse_enroll_response(t).status().key() == "sync.malformed", bad);
  }
}
